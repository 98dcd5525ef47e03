package dev.jcr.resource;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * One answer of a driver: can this resource be checkpointed, and why (not).
 *
 * @param resource how a person names the resource: "fd 7", "thread 1235", "vma 7f00-7f10", "process"
 * @param kind     the resource kind (the key of the driver that answered)
 * @param verdict  the answer
 * @param reason   plain words without the resource name, e.g. "inotify with 2 watches: not supported yet"
 * @param option   the command-line option that would help when the verdict is NEEDS_OPTION, else null
 * @param dumpedWith processes the resource refers to, which must be part of the same dump for the verdict to
 *                 hold (a /proc/PID file, the owner of a file's SIGIO): restore recreates them with their
 *                 pids, while a process outside the dump would be some other process by then
 */
public record Assessment(String resource, ResourceKind kind, Verdict verdict, String reason, String option,
        Set<Long> dumpedWith) {

    public Assessment {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        dumpedWith = Set.copyOf(dumpedWith);
        if ((verdict == Verdict.NEEDS_OPTION) != (option != null)) {
            throw new IllegalArgumentException("an option is named exactly when the verdict is NEEDS_OPTION");
        }
    }

    public Assessment(String resource, ResourceKind kind, Verdict verdict, String reason, String option) {
        this(resource, kind, verdict, reason, option, Set.of());
    }

    /** This answer, on condition that PIDS are dumped too (see {@link #dumpedWith}). */
    public Assessment ifDumpedWith(Collection<Long> pids) {
        Set<Long> all = new java.util.TreeSet<>(dumpedWith);
        all.addAll(pids);
        return new Assessment(resource, kind, verdict, reason, option, all);
    }

    /**
     * The answer for a dump that takes the processes DUMPED says yes to: unchanged when every process
     * it refers to is among them, else UNSUPPORTED naming the first one left out.
     */
    public Assessment within(LongPredicate dumped) {
        for (long pid : new java.util.TreeSet<>(dumpedWith)) {
            if (!dumped.test(pid)) {
                return new Assessment(resource, kind, Verdict.UNSUPPORTED, reason + ": process " + pid
                        + " is not part of the dumped tree: not supported", null, dumpedWith);
            }
        }
        return this;
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
