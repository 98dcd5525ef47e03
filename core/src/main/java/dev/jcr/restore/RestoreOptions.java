package dev.jcr.restore;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a restore is asked to do.
 *
 * @param dir      the image directory
 * @param detach   leave the tree running and return once it runs (default: the caller waits for the root)
 * @param shellJob the tree had a controlling terminal / lived in the caller's session: keep it in
 *                 jcr's session instead of recreating its own
 * @param pidfile  where to write the root's pid once it runs, or null
 * @param timens   when the tree gets a time namespace that continues the dump's clocks
 * @param pidNamespace restore into a new PID namespace (with an init of jcr's as its PID 1), where every
 *                 process gets its dumped pid whatever this host's processes use (a migration's receiver)
 * @param given    further options the drivers read (e.g. {@link dev.jcr.resource.Options#TCP_CLOSE})
 */
public record RestoreOptions(Path dir, boolean detach, boolean shellJob, Path pidfile, TimeNamespace.Mode timens,
        boolean pidNamespace, Set<String> given) {

    public RestoreOptions {
        given = Set.copyOf(given);
    }

    public RestoreOptions(Path dir, boolean detach, boolean shellJob, Path pidfile, TimeNamespace.Mode timens) {
        this(dir, detach, shellJob, pidfile, timens, false, Set.of());
    }

    public RestoreOptions(Path dir, boolean detach, boolean shellJob, Path pidfile) {
        this(dir, detach, shellJob, pidfile, TimeNamespace.Mode.AUTO);
    }

    /** These options, plus OPTION (e.g. {@link dev.jcr.resource.Options#TCP_CLOSE}) when ON. */
    public RestoreOptions with(String option, boolean on) {
        if (!on) {
            return this;
        }
        Set<String> more = new LinkedHashSet<>(given);
        more.add(option);
        return new RestoreOptions(dir, detach, shellJob, pidfile, timens, pidNamespace, more);
    }

    public static RestoreOptions of(Path dir) {
        return new RestoreOptions(dir, false, false, null);
    }

    public RestoreOptions detached() {
        return new RestoreOptions(dir, true, shellJob, pidfile, timens, pidNamespace, given);
    }

    public RestoreOptions withTimens(TimeNamespace.Mode mode) {
        return new RestoreOptions(dir, detach, shellJob, pidfile, mode, pidNamespace, given);
    }

    public RestoreOptions withPidNamespace(boolean p) {
        return new RestoreOptions(dir, detach, shellJob, pidfile, timens, p, given);
    }
}
