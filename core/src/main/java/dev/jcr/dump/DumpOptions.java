package dev.jcr.dump;

import dev.jcr.resource.Options;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to dump.
 *
 * @param directory the image directory to create; it must not exist, its parent must
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
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed, boolean preDump,
        String parent, boolean trackMem) {

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
        allowed = Set.copyOf(allowed);
        if (preDump && kill) {
            throw new IllegalArgumentException("a pre-dump leaves the tree running: it cannot kill it");
        }
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed) {
        this(directory, kill, shellJob, allowed, false, null, false);
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob) {
        this(directory, kill, shellJob, Set.of());
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob, allowed, preDump, parent, trackMem);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s, allowed, preDump, parent, trackMem);
    }

    /** These options, plus OPTION (e.g. {@link Options#EXT_UNIX_SK}) when ON. */
    public DumpOptions with(String option, boolean on) {
        if (!on) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(allowed);
        more.add(option);
        return new DumpOptions(directory, kill, shellJob, more, preDump, parent, trackMem);
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
        return new DumpOptions(directory, kill, shellJob, allowed, p, parent, trackMem);
    }

    /** The previous dump (the {@code parent} link's text, relative to DIRECTORY), or null for none. */
    public DumpOptions withParent(String p) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, p, trackMem);
    }

    public DumpOptions withTrackMem(boolean t) {
        return new DumpOptions(directory, kill, shellJob, allowed, preDump, parent, t);
    }

    /** Whether write tracking stays armed after this dump (a pre-dump, or --track-mem on a tree left running). */
    public boolean armsTracking() {
        return preDump || (trackMem && !kill);
    }
}
