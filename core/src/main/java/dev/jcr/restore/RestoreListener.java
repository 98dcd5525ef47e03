package dev.jcr.restore;

/** Progress of a restore, for a progress bar (CLI) or a status line (jcr-top). Called on jcr's threads. */
public interface RestoreListener {

    /**
     * The phases, in the order a one-process restore meets them (with several processes ADDRESS_SPACE
     * to PROCESS_STATE repeat per process): reading the images, starting the traced seed, cloning the
     * tree, the address space without its pages, the pages, the file descriptors, per-process state
     * (signal actions, timers, rlimits …), per-thread state and registers, resuming.
     */
    enum Phase { PLAN, SEED, CREATE_TREE, ADDRESS_SPACE, PAGES, FILES, PROCESS_STATE, THREADS, RESUME, DONE }

    /** A new phase starts; PID is the process it concerns, or 0. */
    default void phase(Phase phase, int pid) {
    }

    /** PAGES of TOTAL pages written so far (over the whole tree). */
    default void pages(long written, long total) {
    }

    RestoreListener NONE = new RestoreListener() {
    };
}
