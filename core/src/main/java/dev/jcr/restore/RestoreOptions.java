package dev.jcr.restore;

import java.nio.file.Path;

/**
 * What a restore is asked to do.
 *
 * @param dir      the image directory
 * @param detach   leave the tree running and return once it runs (default: the caller waits for the root)
 * @param shellJob the tree had a controlling terminal / lived in the caller's session: keep it in
 *                 jcr's session instead of recreating its own
 * @param pidfile  where to write the root's pid once it runs, or null
 * @param timens   when the tree gets a time namespace that continues the dump's clocks
 */
public record RestoreOptions(Path dir, boolean detach, boolean shellJob, Path pidfile, TimeNamespace.Mode timens) {

    public RestoreOptions(Path dir, boolean detach, boolean shellJob, Path pidfile) {
        this(dir, detach, shellJob, pidfile, TimeNamespace.Mode.AUTO);
    }

    public static RestoreOptions of(Path dir) {
        return new RestoreOptions(dir, false, false, null);
    }

    public RestoreOptions detached() {
        return new RestoreOptions(dir, true, shellJob, pidfile, timens);
    }

    public RestoreOptions withTimens(TimeNamespace.Mode mode) {
        return new RestoreOptions(dir, detach, shellJob, pidfile, mode);
    }
}
