package dev.jcr.dump;

import dev.jcr.resource.Options;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param reapWait  with kill: how long the dump waits for the killed pids to be reaped (free for a
 *                  restore) before it returns with a warning naming the parent that has not reaped
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed, Duration reapWait) {

    /** The default bound of the wait for killed pids to come free (init here reaps within a few seconds). */
    public static final Duration REAP_WAIT = Duration.ofSeconds(10);

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(reapWait, "reapWait");
        allowed = Set.copyOf(allowed);
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob, Set<String> allowed) {
        this(directory, kill, shellJob, allowed, REAP_WAIT);
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob) {
        this(directory, kill, shellJob, Set.of());
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob, allowed, reapWait);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s, allowed, reapWait);
    }

    public DumpOptions withReapWait(Duration d) {
        return new DumpOptions(directory, kill, shellJob, allowed, d);
    }

    /** These options, plus OPTION (e.g. {@link Options#EXT_UNIX_SK}) when ON. */
    public DumpOptions with(String option, boolean on) {
        if (!on) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(allowed);
        more.add(option);
        return new DumpOptions(directory, kill, shellJob, more, reapWait);
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
