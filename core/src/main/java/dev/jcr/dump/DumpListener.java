package dev.jcr.dump;

/**
 * Progress of a dump, for a person watching: the CLI's progress bar, jcr-top's dump dialog and the
 * REPL all implement this one interface. Called on the thread that runs the dump; implementations
 * must be quick and must not throw.
 */
public interface DumpListener {

    /** A listener that ignores everything. */
    DumpListener NONE = new DumpListener() {
    };

    /** A new phase begins. */
    default void phase(DumpPhase phase) {
    }

    /** Memory phase: WRITTEN of TOTAL pages (4 KiB each) are in the pages images. */
    default void pages(long written, long total) {
    }
}
