package dev.jcr.dump;

/** The steps of a dump, in order, as a progress listener sees them. */
public enum DumpPhase {
    /** Asking the drivers whether everything in the tree can be dumped (nothing is touched yet). */
    CHECKING("checking"),
    /**
     * The last dump of a chain, before its freeze: copying what the tree wrote since the parent, with
     * the tree running (pages copied / a bound are reported).
     */
    PRECOPY("copying memory written since the parent"),
    /** Seizing every thread of every process until the set is stable. */
    FREEZING("freezing"),
    /** Reading registers, signal state, files and memory maps of the frozen tree. */
    STATE("saving state"),
    /** Copying memory pages into the pages images (pages written / total are reported). */
    MEMORY("writing memory"),
    /** Syncing the images and renaming the directory into place. */
    COMMITTING("committing"),
    /** Letting the tree go (or killing it with --kill). */
    RESUMING("resuming"),
    DONE("done");

    private final String words;

    DumpPhase(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
