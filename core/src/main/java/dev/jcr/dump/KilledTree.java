package dev.jcr.dump;

import dev.jcr.proc.PidHolder;
import dev.jcr.proc.ProcFs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * After {@code dump --kill}: waits until every pid and tid of the killed tree is free again, so that a
 * restore started right after the dump finds them free. A killed process stays a zombie until its
 * parent reaps it: the tree's own processes are reaped by init (they die together, their orphans
 * go to init), the root by its parent outside the tree, which may be slow (init here takes a few
 * seconds) or never do it (a program that does not wait for its children). The wait is bounded; what
 * is still held then is reported, naming the parent that has not reaped.
 */
final class KilledTree {

    private KilledTree() {
    }

    /** Waits up to TIMEOUT until none of IDS (pids and tids) exists; returns one sentence per id still held. */
    static List<String> awaitFree(ProcFs fs, List<Integer> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Integer> left = new ArrayList<>(ids);
        while (true) {
            left.removeIf(id -> !fs.exists(id));
            if (left.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            LockSupport.parkNanos(5_000_000);
        }
        List<String> out = new ArrayList<>();
        for (int id : left) {
            PidHolder.of(fs, id).ifPresent(h -> out.add("pid " + id + " is still in use " + seconds(timeout)
                    + " after the kill (" + h + "): a restore needs it free"));
        }
        return out;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
