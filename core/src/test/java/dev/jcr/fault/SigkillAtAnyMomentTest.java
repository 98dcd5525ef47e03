package dev.jcr.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpMain;
import dev.jcr.testing.CrashTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproduction, kept: jcr SIGKILLed from outside at moments spread over a whole dump of a
 * multi-threaded process with 32 MiB of memory, while two busy loops load the CPUs (where the defect
 * showed: a task left on a borrowed stack pointer died with a general protection fault). Unlike the
 * fault points, the moments are not chosen by jcr: whatever instruction jcr is at, the target must be
 * unharmed and no directory may claim completeness unless the dump finished.
 */
class SigkillAtAnyMomentTest {

    private static final int TRIALS = 6;

    @TempDir
    Path tmp;

    @Test
    void sigkilledAtMomentsSpreadOverADumpUnderLoadTheTargetIsAlwaysUnharmed() throws Exception {
        List<String> failures = new ArrayList<>();
        try (FaultRun.CpuLoad load = new FaultRun.CpuLoad(2);
                CrashTarget target = new CrashTarget(CrashTarget.Shape.THREADED_BIG)) {
            // how long a whole dump takes here and now, JVM start included
            long t0 = System.nanoTime();
            Process whole = dump(target.pid(), tmp.resolve("whole").resolve("img"));
            assertTrue(whole.waitFor(300, TimeUnit.SECONDS));
            long span = System.nanoTime() - t0;
            FaultRun.deleteTree(tmp.resolve("whole"));
            for (int i = 0; i < TRIALS; i++) {
                long delay = span * (i + 1) / (TRIALS + 1);
                Path parent = Files.createDirectories(tmp.resolve("t" + i));
                String what = "SIGKILL after " + delay / 1_000_000 + " ms of " + span / 1_000_000;
                try {
                    target.snapshot();
                    Process p = dump(target.pid(), parent.resolve("img"));
                    Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
                    p.destroyForcibly(); // SIGKILL
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                    target.assertUnharmed(what, true);
                    FaultRun.assertNoFalseCompleteness(what, parent, parent.resolve("img"));
                } catch (AssertionError | RuntimeException e) {
                    failures.add(what + ": " + e.getMessage());
                    break; // the target may be gone: nothing more to learn from it
                }
            }
            if (failures.isEmpty()) {
                target.finish();
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static Process dump(int pid, Path dir) throws Exception {
        Files.createDirectories(dir.getParent());
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                DumpMain.class.getName(), Integer.toString(pid), dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
