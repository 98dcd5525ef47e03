package dev.jcr.dump;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to dump.
 *
 * @param directory the image directory to create; it must not exist, its parent must
 * @param kill      kill the tree once the images are safely written (default: leave it running)
 * @param shellJob  allow a tree attached to a terminal/session outside it (--shell-job)
 */
public record DumpOptions(Path directory, boolean kill, boolean shellJob) {

    public DumpOptions {
        Objects.requireNonNull(directory, "directory");
    }

    /** Dump into DIRECTORY and leave the tree running. */
    public static DumpOptions to(Path directory) {
        return new DumpOptions(directory, false, false);
    }

    public DumpOptions withKill(boolean k) {
        return new DumpOptions(directory, k, shellJob);
    }

    public DumpOptions withShellJob(boolean s) {
        return new DumpOptions(directory, kill, s);
    }
}
