package dev.jcr.restore;

/** Progress of a restore, for a progress bar (CLI) or a status line (jcr-top). Called on jcr's threads. */
public interface RestoreListener {

    /** The phases, in order. */
    enum Phase { PLAN, CREATE_TREE, ADDRESS_SPACE, FILES, THREADS, RESUME, DONE }

    /** A new phase starts; PID is the process it concerns, or 0. */
    default void phase(Phase phase, int pid) {
    }

    /** PAGES of TOTAL pages written so far (over the whole tree). */
    default void pages(long written, long total) {
    }

    RestoreListener NONE = new RestoreListener() {
    };
}
