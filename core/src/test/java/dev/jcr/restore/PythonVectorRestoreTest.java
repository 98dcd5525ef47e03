package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CRIU's own dump of a Python 3.11 interpreter running {@code while True: n+=1; time.sleep(0.1)}
 * restored by jcr: the interpreter goes on with its loop (it sleeps ten times a second, so its
 * voluntary context switches keep growing) instead of crashing or hanging.
 */
@ExtendWith(VectorLock.class)
@Timeout(120)
class PythonVectorRestoreTest {

    private static final int PID = 20185;

    @Test
    void pythonInterpreterDumpedByCriuKeepsLoopingAfterRestore() throws Exception {
        Path dir = CriuVectors.prepare("python", "python.out");
        CriuVectors.assumePidsFree(dir);
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        try {
            assertEquals(PID, r.rootPid());
            Path status = Path.of("/proc/" + PID + "/status");
            long first = switches(status);
            long deadline = System.nanoTime() + 30_000_000_000L;
            long now = first;
            while (System.nanoTime() < deadline && now < first + 10) {
                Thread.sleep(50);
                now = switches(status);
            }
            assertTrue(now >= first + 10, "the interpreter slept " + (now - first) + " times; state "
                    + field(status, "State"));
            assertTrue(field(status, "State").startsWith("S") || field(status, "State").startsWith("R"),
                    field(status, "State"));
        } finally {
            CriuVectors.kill(PID);
        }
    }

    private static long switches(Path status) throws Exception {
        return Long.parseLong(field(status, "voluntary_ctxt_switches"));
    }

    private static String field(Path status, String name) throws Exception {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in " + status);
    }
}
