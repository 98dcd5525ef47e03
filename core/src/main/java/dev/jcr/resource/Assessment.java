package dev.jcr.resource;

import java.util.Objects;

/**
 * One answer of a driver: can this resource be checkpointed, and why (not).
 *
 * @param resource how a person names the resource: "fd 7", "thread 1235", "vma 7f00-7f10", "process"
 * @param kind     the resource kind (the key of the driver that answered)
 * @param verdict  the answer
 * @param reason   plain words without the resource name, e.g. "inotify with 2 watches: not supported yet"
 * @param option   the command-line option that would help when the verdict is NEEDS_OPTION, else null
 */
public record Assessment(String resource, ResourceKind kind, Verdict verdict, String reason, String option) {

    public Assessment {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        if ((verdict == Verdict.NEEDS_OPTION) != (option != null)) {
            throw new IllegalArgumentException("an option is named exactly when the verdict is NEEDS_OPTION");
        }
    }

    public static Assessment supported(String resource, ResourceKind kind, String reason) {
        return new Assessment(resource, kind, Verdict.SUPPORTED, reason, null);
    }

    public static Assessment needsOption(String resource, ResourceKind kind, String reason, String option) {
        return new Assessment(resource, kind, Verdict.NEEDS_OPTION, reason, option);
    }

    public static Assessment unsupported(String resource, ResourceKind kind, String reason) {
        return new Assessment(resource, kind, Verdict.UNSUPPORTED, reason, null);
    }

    /** The sentence a person reads: "fd 7: inotify with 2 watches: not supported yet". */
    public String message() {
        return resource + ": " + reason;
    }
}
