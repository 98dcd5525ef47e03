package dev.jcr.app.top.model;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.DumpResult;
import java.nio.file.Path;

/**
 * The dump as jcr-top calls it: exactly the core call {@code jcr dump} makes
 * ({@link DumpEngine#dump}), with the same progress listener interface the CLI's progress bar uses.
 */
public interface DumpAction {

    /**
     * Dumps PID into DIR (which must not exist; its parent must), reporting progress to LISTENER; throws
     * a JcrException with the reason when it refuses, leaving the process running.
     */
    DumpResult dump(long pid, Path dir, boolean killAfter, boolean shellJob, DumpListener listener);

    /** The dump engine of core. */
    static DumpAction engine() {
        return (pid, dir, kill, shellJob, listener) ->
                new DumpEngine().dump((int) pid, DumpOptions.to(dir).withKill(kill).withShellJob(shellJob), listener);
    }
}
