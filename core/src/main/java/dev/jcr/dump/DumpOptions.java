package dev.jcr.dump;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to dump.
 *
 * @param directory the image directory to create; it must not exist, its parent must
 * @param kill      kill the tree once the images are safely written (default: leave it running)
 * @param shellJob  allow a tree attached to a terminal/session outside it (--shell-job)
 * @param reapWait  with kill: how long the dump waits for the killed pids to be reaped (free for a
 *                  restore) before it returns with a warning naming the parent that has not reaped
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob, Duration reapWait) {

    /** The default bound of the wait for killed pids to come free (init here reaps within a few seconds). */
    public static final Duration REAP_WAIT = Duration.ofSeconds(10);

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(reapWait, "reapWait");
    }

    public DumpOptions(Path directory, boolean kill, boolean shellJob) {
        this(directory, kill, shellJob, REAP_WAIT);
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob, reapWait);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s, reapWait);
    }

    public DumpOptions withReapWait(Duration d) {
        return new DumpOptions(directory, kill, shellJob, d);
    }
}
