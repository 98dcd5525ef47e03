package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.Main;
import dev.jcr.restore.CriuVectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.jcr.restore.VectorLock;
import org.junit.jupiter.api.extension.ExtendWith;

/** `jcr restore` end to end over CRIU's counter vector: exit codes, --detach, --pidfile, waiting. */
@ExtendWith(VectorLock.class)
class RestoreCommandTest {

    @TempDir
    Path tmp;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void directoryWithoutImagesIsOneLineAndExitCodeOfBadImage() {
        Outcome o = run("restore", "-D", tmp.toString());
        assertEquals(7, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("restore: "), o.err());
    }

    @Test
    void missingDirectoryIsAnIoError() {
        Outcome o = run("restore", "-D", tmp.resolve("nope").toString());
        assertEquals(8, o.code(), o.err());
    }

    @Test
    void detachedRestoreWritesThePidfileAndATakenPidIsAConflict() throws Exception {
        Path dir = CriuVectors.prepare("counter", "counter.out");
        CriuVectors.assumePidsFree(dir);
        Path pidfile = tmp.resolve("root.pid");
        Outcome o = run("restore", "-D", dir.toString(), "--detach", "--pidfile", pidfile.toString());
        try {
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().startsWith("restored 1 process, root 20104"), o.out());
            assertEquals("20104", Files.readString(pidfile).strip());
            Outcome again = run("restore", "-D", dir.toString(), "--detach");
            assertEquals(9, again.code(), again.err());
            assertTrue(again.err().contains("PID 20104"), again.err());
        } finally {
            CriuVectors.kill(20104);
        }
    }

    @Test
    void withoutDetachJcrWaitsForTheRootAndExitsWithItsStatus() throws Exception {
        Path dir = CriuVectors.prepare("counter", "counter.out");
        CriuVectors.assumePidsFree(dir);
        CompletableFuture<Outcome> f = CompletableFuture.supplyAsync(() -> run("restore", "-D", dir.toString()));
        Path out = CriuVectors.RUN_DIR.resolve("counter.out");
        for (int i = 0; i < 500 && Files.size(out) == 0; i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.size(out) > 0, "the restored counter writes");
        assertFalse(f.isDone(), "jcr still waits");
        new ProcessBuilder("kill", "-TERM", "20104").start().waitFor();
        Outcome o = f.get(10, TimeUnit.SECONDS);
        assertEquals(128 + 15, o.code(), o.err());
        for (int i = 0; i < 100 && Files.exists(Path.of("/proc/20104")); i++) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(Path.of("/proc/20104")), "jcr reaped its restored child");
    }
}
