package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.sys.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CRIU's own dump of a Python 3.11 interpreter running {@code while True: n+=1; time.sleep(0.1)}
 * restored by jcr: the interpreter goes on with its loop (it sleeps ten times a second, so its
 * voluntary context switches keep growing) instead of crashing or hanging. Python sleeps until an
 * absolute CLOCK_MONOTONIC deadline (1428 s after the boot of the machine that dumped it): on a
 * machine up for less than that, only a time namespace continuing the dump's clocks wakes it.
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
            assertKeepsSleeping();
        } finally {
            CriuVectors.kill(PID);
        }
    }

    @Test
    void withTimensAlwaysTheInterpreterSeesTheDumpsMonotonicClockGoOn() throws Exception {
        Path dir = CriuVectors.prepare("python", "python.out");
        CriuVectors.assumePidsFree(dir);
        long before = Linux.clockNanos(Linux.CLOCK_MONOTONIC);
        new RestoreEngine(null).restore(RestoreOptions.of(dir).detached().withTimens(TimeNamespace.Mode.ALWAYS));
        long after = Linux.clockNanos(Linux.CLOCK_MONOTONIC);
        try {
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/time")),
                    Files.readSymbolicLink(Path.of("/proc/" + PID + "/ns/time")), "a time namespace of its own");
            // CRIU recorded monotonic 1428.485770795 s at the dump: the tree's clock started there
            long offset = monotonicOffset(Path.of("/proc/" + PID + "/timens_offsets"));
            long dumped = 1428_485_770_795L;
            assertTrue(offset >= dumped - after && offset <= dumped - before,
                    "offset " + offset + " not within [" + (dumped - after) + ", " + (dumped - before) + "]");
            assertKeepsSleeping();
        } finally {
            CriuVectors.kill(PID);
        }
    }

    private static long monotonicOffset(Path offsets) throws Exception {
        for (String line : Files.readAllLines(offsets)) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("monotonic") || f[0].equals("1")) {
                return Long.parseLong(f[1]) * 1_000_000_000L + Long.parseLong(f[2]);
            }
        }
        throw new AssertionError("no monotonic offset in " + offsets);
    }

    private static void assertKeepsSleeping() throws Exception {
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
