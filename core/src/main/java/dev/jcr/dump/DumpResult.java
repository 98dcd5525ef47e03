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
 * @param preDump   a pre-dump (memory only, not restorable by itself)
 * @param warnings  what the user should know although the dump succeeded: what it could not do as asked
 *                  (write tracking lost or unavailable …), a killed pid that its parent has not reaped
 *                  (which a restore will find in use)
 * @param link      what this dump holds, for a next dump that cannot read it back (see {@link ChainLink})
 */
public record DumpResult(Path directory, int root, List<Integer> pids, int threads, boolean killed, DumpStats stats,
        boolean preDump, List<String> warnings, ChainLink link) {

    public DumpResult {
        pids = List.copyOf(pids);
        warnings = List.copyOf(warnings);
    }

    /** The same result, the tree killed (or not) after all. */
    public DumpResult withKilled(boolean k) {
        return new DumpResult(directory, root, pids, threads, k, stats, preDump, warnings, link);
    }

    /**
     * One line for a person: "dumped 2 processes (3 threads) of 1234 to DIR: 12.0 MiB in 0.31 s, frozen 0.25 s;
     * left running", with the pages left to the parent images when there are, and those copied before
     * the freeze.
     */
    public String summary() {
        String parent = stats.pagesInParent() == 0 ? "" : " (+ " + dev.jcr.resource.FdDescriber.size(
                stats.pagesInParent() * 4096) + " in parent images)";
        if (stats.pagesPrecopied() > 0) {
            parent += " (" + dev.jcr.resource.FdDescriber.size(stats.pagesPrecopied() * 4096)
                    + " of it copied before the freeze)";
        }
        return String.format("%s %d process%s (%d thread%s) of %d to %s: %s%s in %.2f s, frozen %.2f s; %s",
                preDump ? "pre-dumped memory of" : "dumped", pids.size(), pids.size() == 1 ? "" : "es", threads,
                threads == 1 ? "" : "s", root, directory, dev.jcr.resource.FdDescriber.size(stats.imageBytes()), parent,
                stats.totalMicros() / 1e6, stats.frozenMicros() / 1e6, killed ? "killed" : "left running");
    }
}
