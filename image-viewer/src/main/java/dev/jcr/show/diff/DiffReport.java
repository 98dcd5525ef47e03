package dev.jcr.show.diff;

import java.util.List;

/**
 * What changed between two checkpoints: processes added and removed (by pid), and for each process
 * in both, its {@link ProcessDiff}. Only processes that changed are listed; everything is sorted, so
 * the same two dumps always give the same report.
 */
public record DiffReport(String a, String b, List<Proc> added, List<Proc> removed, List<ProcessDiff> changed) {

    public record Proc(int pid, int ppid, String comm) {
    }

    public boolean same() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
