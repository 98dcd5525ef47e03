package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The counter check shared by the Python and JVM restore tests: a program printing 1, 2, 3 … one
 * per line is dumped with --kill, restored, and must go on without a gap or a repeat.
 */
final class CounterRestore {

    private CounterRestore() {
    }

    /** Dumps P into DIR (killing it) once it printed 50, restores it, and checks 100 more numbers follow in order. */
    static void dumpKillRestoreAndCountOn(LiveProcess p, Path dir, Duration wait) {
        p.awaitOutput("\n50\n", wait);
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), wait);
        long before = last(numbers(p.stdout()));
        new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        p.awaitOutput("\n" + (before + 100) + "\n", wait);
        List<Long> seen = numbers(p.stdout());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1L, seen.get(i), "line " + (i + 2) + " after a dump at " + before);
        }
    }

    /** The complete lines of OUT that are numbers (a last line still being written is left out). */
    private static List<Long> numbers(String out) {
        List<Long> n = new ArrayList<>();
        for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
            if (line.matches("\\d+")) {
                n.add(Long.parseLong(line));
            }
        }
        return n;
    }

    private static long last(List<Long> n) {
        return n.isEmpty() ? 0 : n.get(n.size() - 1);
    }
}
