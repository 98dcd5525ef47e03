package dev.jcr.app.top.model;

/**
 * Where the main screen's data comes from. Both calls may be slow (they read /proc for every process) and
 * are made off the GUI thread.
 */
public interface ProcessSource {

    /** Scans every process and its verdict. */
    Snapshot scan();

    /**
     * Scans like {@link #scan()}; a source that keeps verdicts between scans re-analyses FOCUS (the
     * selected pid, -1 for none) in any case, so the selection's verdict is never stale.
     */
    default Snapshot scan(long focus) {
        return scan();
    }

    /**
     * The fast first pass of a refresh: the process list without new analysis. A process analysed by an
     * earlier {@link #scan()} keeps that verdict; one not yet analysed is PENDING.
     */
    default Snapshot quickScan() {
        return scan();
    }

    /**
     * Whether later scans add a row for each userland thread of a process (besides its leader); off at
     * start, since listing every thread costs a read per thread.
     */
    default void listThreads(boolean on) {
    }

    /** Analyses one process resource by resource; throws a JcrException when it cannot. */
    ProcessDetails details(long pid);
}
