package dev.jcr.dump;

import dev.jcr.image.ImageSink;
import dev.jcr.resource.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to dump.
 *
 * @param directory the image directory to create; it must not exist, its parent must (with a SINK: the
 *                  directory's plain name on the other side)
 * @param kill      kill the tree once the images are safely written (default: leave it running)
 * @param shellJob  allow a tree attached to a terminal/session outside it (--shell-job)
 * @param allowed   further options the user gave that a NEEDS_OPTION answer may ask for
 *                  ({@link Options#EXT_UNIX_SK} …)
 * @param preDump   copy only memory, with the tree running (frozen only to arm write tracking and read
 *                  the memory map); the tree always runs on (CRIU's {@code pre-dump})
 * @param parent    the previous dump of an incremental one ({@code --prev-images-dir}), as the text of
 *                  the {@code parent} link: relative to DIRECTORY unless absolute; null for a full dump
 * @param trackMem  leave write tracking armed for a later incremental dump ({@code --track-mem};
 *                  implied by a pre-dump)
 * @param sink      where the directory goes instead of the local disk (a page server); null: in place
 * @param knownParent what the parent holds, when it cannot be read here (it is on the sink's side: a
 *                  migration passes each round's {@link DumpResult#link()} to the next); null: read PARENT
 * @param handoff   called with the images committed and the tree still frozen, to decide between
 *                  killing it and letting it run on (a migration: the receiver restores meanwhile); null:
 *                  KILL decides
 * @param reapWait  with kill: how long the dump waits for the killed pids to be reaped (free for a
 *                  restore) before it returns with a warning naming the parent that has not reaped
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed, boolean preDump,
        String parent, boolean trackMem, ImageSink sink, ChainLink knownParent, Handoff handoff, Duration reapWait) {

    /** The default bound of the wait for killed pids to come free (init here reaps within a few seconds). */
    public static final Duration REAP_WAIT = Duration.ofSeconds(10);

    /**
     * The last step of a dump that hands the tree over: the images are committed, the tree still frozen.
     * Returns true to kill the tree, false to let it run on; an exception lets it run on and fails the dump.
     */
    @FunctionalInterface
    public interface Handoff {
        boolean committed(DumpResult result, long frozenSinceNanos);
    }

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(reapWait, "reapWait");
        allowed = Set.copyOf(allowed);
        if (preDump && (kill || handoff != null)) {
            throw new IllegalArgumentException("a pre-dump leaves the tree running: it cannot kill or hand it over");
        }
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed) {
        this(directory, kill, shellJob, allowed, false, null, false, null, null, null, REAP_WAIT);
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob) {
        this(directory, kill, shellJob, Set.of());
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob, allowed, preDump, parent, trackMem, sink, knownParent, handoff,
                reapWait);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s, allowed, preDump, parent, trackMem, sink, knownParent, handoff,
                reapWait);
    }

    public DumpOptions withReapWait(Duration d) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parent, trackMem, sink, knownParent, handoff,
                d);
    }

    /** These options, plus OPTION (e.g. {@link Options#EXT_UNIX_SK}) when ON. */
    public DumpOptions with(String option, boolean on) {
        if (!on) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(allowed);
        more.add(option);
        return new DumpOptions(directory, kill, shellJob, more, preDump, parent, trackMem, sink, knownParent, handoff,
                reapWait);
    }

    /** Every option given, --shell-job included: what the check is asked with. */
    public Set<String> given() {
        Set<String> all = new LinkedHashSet<>(allowed);
        if (shellJob) {
            all.add(Options.SHELL_JOB);
        }
        return all;
    }

    public DumpOptions withPreDump(boolean p) {
        return new DumpOptions(directory, kill, shellJob, allowed, p, parent, trackMem, sink, knownParent, handoff,
                reapWait);
    }

    /** The previous dump (the {@code parent} link's text, relative to DIRECTORY), or null for none. */
    public DumpOptions withParent(String p) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, p, trackMem, sink, knownParent, handoff,
                reapWait);
    }

    public DumpOptions withTrackMem(boolean t) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parent, t, sink, knownParent, handoff,
                reapWait);
    }

    /** Writes the directory (named DIRECTORY there) to SINK instead of the local disk. */
    public DumpOptions withSink(ImageSink s) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parent, trackMem, s, knownParent, handoff,
                reapWait);
    }

    /** The parent is LINK's dump (read nowhere: its run id and pages are known), reached as PARENT_TEXT. */
    public DumpOptions withParent(String parentText, ChainLink link) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parentText, trackMem, sink, link, handoff,
                reapWait);
    }

    public DumpOptions withHandoff(Handoff h) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parent, trackMem, sink, knownParent, h,
                reapWait);
    }

    /** Whether write tracking stays armed after this dump (a pre-dump, or --track-mem on a tree left running). */
    public boolean armsTracking() {
        return preDump || (trackMem && !kill && handoff == null);
    }
}
