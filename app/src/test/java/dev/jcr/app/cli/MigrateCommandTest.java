package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** jcr page-server, jcr dump --page-server and jcr migrate through Main: one summary line, typed exit codes. */
@Timeout(120)
class MigrateCommandTest {

    @TempDir
    Path tmp;

    private static DumpCommandTest.Run run(String... args) {
        return DumpCommandTest.run(args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMigrationThroughTheCommandLineEndsWithTheTreeRunningOnTheReceiver() throws Exception {
        Path recv = Files.createDirectory(tmp.resolve("recv"));
        int port = freePort();
        CompletableFuture<DumpCommandTest.Run> server = CompletableFuture.supplyAsync(() -> run("page-server", "--port",
                Integer.toString(port), "-D", recv.toString(), "--pid-ns", "--token", "t0k"));
        try (LiveProcess p = Fixture.start("memhog", "8", "10")) {
            DumpCommandTest.Run m = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                m = run("migrate", Long.toString(p.pid()), "--to", "127.0.0.1:" + port, "--token", "t0k");
            } while (m.code() == 8 && m.err().contains("cannot reach") && System.nanoTime() < deadline);
            assertEquals(0, m.code(), m.err());
            assertTrue(m.out().contains("migrate: pre-1: ") && m.out().contains("migrate: final: "), m.out());
            assertTrue(m.out().contains("migrated " + p.pid() + " after "), m.out());
            DumpCommandTest.Run s = server.get(30, TimeUnit.SECONDS);
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains("page-server: restored final: root pid " + p.pid()), s.out());
            String host = s.out().replaceAll("(?s).*\\(host pid (\\d+)\\).*", "$1");
            long copy = Long.parseLong(host);
            long init = Long.parseLong(Files.readAllLines(Path.of("/proc/" + copy + "/status")).stream()
                    .filter(l -> l.startsWith("PPid:")).findFirst().orElseThrow().substring(5).trim());
            new ProcessBuilder("kill", "-9", Long.toString(init)).start().waitFor();
            LiveProcess.awaitGone(copy, Duration.ofSeconds(10));
        }
    }

    @Test
    void badTargetsAndOptionsGetTheirExitCodes() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            String pid = Long.toString(p.pid());
            assertEquals(2, run("migrate", pid, "--to", "no-port-here").code());
            DumpCommandTest.Run refused = run("migrate", pid, "--to", "127.0.0.1:" + freePort());
            assertEquals(8, refused.code(), refused.err());
            assertEquals(1, refused.err().lines().count(), refused.err());
            assertTrue(refused.err().contains("cannot reach page server"), refused.err());
            assertEquals(8, run("page-server", "--port", "0", "-D", tmp.resolve("missing").toString()).code());
            DumpCommandTest.Run chain = run("dump", pid, "--page-server", "127.0.0.1:" + freePort(), "--prev-images-dir", "../x", "-D", "y");
            assertTrue(chain.code() == 2 || chain.code() == 8, chain.err());
            p.signal("USR1");
            assertFalse(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("FAIL"));
        }
    }
}
