package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore into a new PID namespace: jcr's init is its pid 1 and every process gets its dumped pid
 * inside, whatever this host's processes use — the same images restore while the original runs, and
 * twice side by side. The init reaps, and killing it ends the namespace.
 */
@Timeout(120)
class PidNamespaceRestoreTest {

    @TempDir
    Path tmp;


    /** Signals PID and returns what it then writes to its stdout (its verdict line). */
    private static String verdict(long pid) throws Exception {
        Path fdinfo = Path.of("/proc/" + pid + "/fdinfo/1");
        Path out = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1"));
        long before = pos(fdinfo);
        new ProcessBuilder("kill", "-USR1", Long.toString(pid)).start().waitFor();
        long deadline = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
        long after = before;
        while (after == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = Files.exists(fdinfo) ? pos(fdinfo) : before;
        }
        byte[] all = Files.readAllBytes(out);
        return new String(all, (int) before, (int) Math.max(0, Math.min(all.length, after) - before),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long pos(Path fdinfo) throws IOException {
        return Long.parseLong(Files.readAllLines(fdinfo).get(0).substring(4).trim());
    }

    @Test
    void theSameImagesRestoreBesideTheOriginalWithTheirDumpedPidsInNamespacesOfTheirOwn() throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "8", "10", "churn")) {
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE); // the original runs on

            JcrException taken = assertThrows(JcrException.class,
                    () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
            assertEquals(JcrException.Kind.CONFLICT, taken.kind(), "in this namespace the pid is the original's");

            RestoreResult a = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            RestoreResult b = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            long initA = Long.parseLong(LiveProcess.status(a.hostRootPid(), "PPid"));
            long initB = Long.parseLong(LiveProcess.status(b.hostRootPid(), "PPid"));
            try {
                assertEquals((int) p.pid(), a.rootPid());
                assertNotEquals(a.hostRootPid(), b.hostRootPid());
                assertEquals(a.hostRootPid() + "\t" + p.pid(), LiveProcess.status(a.hostRootPid(), "NSpid"), "its dumped pid inside");
                assertEquals(initA + "\t1", LiveProcess.status(initA, "NSpid"), "jcr's init is pid 1 there");
                assertNotEquals(Files.readSymbolicLink(Path.of("/proc/" + a.hostRootPid() + "/ns/pid")),
                        Files.readSymbolicLink(Path.of("/proc/" + b.hostRootPid() + "/ns/pid")));
                // all three write to the same stdout file at the same (restored) position: one at a time
                for (long pid : new long[] {a.hostRootPid(), b.hostRootPid(), p.pid()}) {
                    assertTrue(verdict(pid).startsWith("PASS memhog"), "process " + pid);
                }
            } finally {
                new ProcessBuilder("kill", "-9", Long.toString(initA), Long.toString(initB)).start().waitFor();
            }
            LiveProcess.awaitGone(a.hostRootPid(), Duration.ofSeconds(10));
            assertFalse(Files.exists(Path.of("/proc/" + a.hostRootPid())), "the namespace ends with its init");
        }
    }
}
