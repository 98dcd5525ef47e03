package dev.jcr.show.diff;

import java.util.List;

/**
 * What changed in one process present in both dumps. Every list is sorted (by address, fd, signal,
 * field) and empty when nothing changed in that part.
 *
 * @param task      command, state, ids, exe, cwd/root/umask and other per-process scalars
 * @param creds     credentials of the process (its leader thread)
 * @param rlimits   resource limits, by RLIMIT_ name
 * @param signals   handlers (by signal), blocked masks, pending signals
 * @param threads   threads present in both dumps that changed (registers and per-thread state)
 */
public record ProcessDiff(int pid, String comm, List<Change> task, List<Integer> threadsAdded,
                          List<Integer> threadsRemoved, List<ThreadDiff> threads, VmaDiff memoryMap, PageDiff pages,
                          FdDiff fds, List<Change> creds, List<Change> rlimits, List<Change> signals) {

    /**
     * Registers and per-thread state (mask, scheduling, ...) of one thread that changed;
     * VECTOR_REGISTERS is how many vector registers (xmm/ymm/zmm, opmask) the later image holds, so a
     * text can say how many of them changed.
     */
    public record ThreadDiff(int tid, List<Change> registers, int vectorRegisters, List<Change> state) {
    }

    /** Mappings added (only in the second dump), removed, and changed (same range start or end). */
    public record VmaDiff(List<Vma> added, List<Vma> removed, List<VmaChange> changed) {
        public boolean same() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    public record Vma(long start, long end, String prot, String name) {
    }

    public record VmaChange(long start, long end, String name, List<Change> changes) {
    }

    /** Fds opened (added), closed (removed) and changed (target, position, flags). */
    public record FdDiff(List<Fd> added, List<Fd> removed, List<FdChange> changed) {
        public boolean same() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    public record Fd(int fd, String type, String name) {
    }

    public record FdChange(int fd, String name, List<Change> changes) {
    }

    public boolean same() {
        return task.isEmpty() && threadsAdded.isEmpty() && threadsRemoved.isEmpty() && threads.isEmpty()
                && memoryMap.same() && pages.same() && fds.same() && creds.isEmpty() && rlimits.isEmpty() && signals.isEmpty();
    }
}
