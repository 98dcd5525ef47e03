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
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed) {

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
        allowed = Set.copyOf(allowed);
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob) {
        this(directory, kill, shellJob, Set.of());
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob, allowed);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s, allowed);
    }

    /** These options, plus OPTION (e.g. {@link Options#EXT_UNIX_SK}) when ON. */
    public DumpOptions with(String option, boolean on) {
        if (!on) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(allowed);
        more.add(option);
        return new DumpOptions(directory, kill, shellJob, more);
    }

    /** Every option given, --shell-job included: what the check is asked with. */
    public Set<String> given() {
        Set<String> all = new LinkedHashSet<>(allowed);
        if (shellJob) {
            all.add(Options.SHELL_JOB);
        }
        return all;
    }
}
