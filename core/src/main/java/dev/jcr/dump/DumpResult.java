package dev.jcr.dump;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished dump.
 *
 * @param directory the complete image directory
 * @param root      pid of the tree's root
 * @param pids      every process dumped, parents first
 * @param threads   number of threads dumped
 * @param killed    true if the tree was killed afterwards (--kill), false if it runs on
 * @param stats     times and page counts
 * @param warnings  what the user should know although the dump succeeded (e.g. a killed pid that its
 *                  parent has not reaped, which a restore will find in use)
 */
public record DumpResult(Path directory, int root, List<Integer> pids, int threads, boolean killed, DumpStats stats,
        List<String> warnings) {

    public DumpResult {
        pids = List.copyOf(pids);
        warnings = List.copyOf(warnings);
    }

    /** One line for a person: "dumped 2 processes (3 threads) of 1234 to DIR: 12.0 MiB in 0.31 s, frozen 0.25 s; left running". */
    public String summary() {
        return String.format("dumped %d process%s (%d thread%s) of %d to %s: %s in %.2f s, frozen %.2f s; %s",
                pids.size(), pids.size() == 1 ? "" : "es", threads, threads == 1 ? "" : "s", root, directory,
                dev.jcr.resource.FdDescriber.size(stats.imageBytes()), stats.totalMicros() / 1e6,
                stats.frozenMicros() / 1e6, killed ? "killed" : "left running");
    }
}
