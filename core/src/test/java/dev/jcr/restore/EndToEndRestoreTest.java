package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole programs through jcr dump and jcr restore: a process tree with pipes between its levels, a
 * Python interpreter, a dump taken with the original left running (then killed) and restored.
 */
@Timeout(180)
class EndToEndRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void threeLevelTreeWithPipesInFlightComesBackWithItsParentsAndLosesNoNumber() throws IOException {
        try (LiveProcess p = Fixture.start("pipetree3")) {
            List<Integer> pids = pids(p.stdout());
            try {
                Path dir = tmp.resolve("img");
                new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
                pids.forEach(pid -> LiveProcess.awaitGone(pid, WAIT));
                RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
                assertEquals(pids.size(), r.pids().size(), "restored " + r.pids());
                assertEquals(pids.get(0), ppid(pids.get(1)), "the child's parent");
                assertEquals(pids.get(1), ppid(pids.get(2)), "the grandchild's parent");
                assertEquals(pids.get(0), pgid(pids.get(2)), "the grandchild's process group");
                p.signal("USR1");
                String out = p.awaitOutput("PASS", WAIT);
                assertFalse(out.contains("FAIL"), out);
            } finally {
                pids.forEach(EndToEndRestoreTest::kill);
            }
        }
    }

    @Test
    void pythonCounterContinuesWithoutGapOrRepeat() throws IOException {
        Path python = Path.of("/usr/bin/python3");
        Need.tool(python, "python3");
        String prog = "import time\nprint('READY', flush=True)\nn = 0\nwhile True:\n"
                + "    n += 1\n    print(n, flush=True)\n    time.sleep(0.005)\n";
        try (LiveProcess p = LiveProcess.startCommand(List.of(python.toString(), "-c", prog), WAIT, "READY")) {
            CounterRestore.dumpKillRestoreAndCountOn(p, tmp.resolve("img"), WAIT);
        }
    }

    @Test
    void dumpLeftRunningThenOriginalKilledRestoresWithPendingSignalsIntact() throws IOException {
        try (LiveProcess p = Fixture.start("sigpending")) {
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
            assertTrue(p.isAlive(), "--leave-running kept the original");
            p.signal("KILL");
            LiveProcess.awaitGone(p.pid(), WAIT);
            // only what the restored process writes from here on may count
            Files.writeString(p.dir().resolve("out"), "");
            new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            p.signal("USR1");
            String out = p.awaitOutput("PASS", WAIT);
            assertFalse(out.contains("FAIL"), out);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<Integer> pids(String out) {
        for (String line : out.split("\n")) {
            if (line.startsWith("PIDS ")) {
                List<Integer> pids = new ArrayList<>();
                for (String s : line.substring(5).trim().split(" ")) {
                    pids.add(Integer.parseInt(s));
                }
                return pids;
            }
        }
        throw new AssertionError("no PIDS line in\n" + out);
    }

    private static int ppid(int pid) throws IOException {
        return statField(pid, 1);
    }

    private static int pgid(int pid) throws IOException {
        return statField(pid, 2);
    }

    /** Field I after the state letter of /proc/PID/stat (0 = state's next: ppid is 1). */
    private static int statField(int pid, int i) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[i]);
    }

    private static void kill(int pid) {
        try {
            new ProcessBuilder("kill", "-KILL", Integer.toString(pid)).start().waitFor();
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LiveProcess.awaitGone(pid, WAIT);
    }
}
