package dev.jcr.resource;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The answer of {@link TreeCheck}: every process of the tree rooted at ROOT (root first, then its
 * descendants in tree order) with the drivers' answers, and what a dump with the options given
 * would refuse. Empty blockers ⇔ the dump goes ahead. OPTIONS are those the dump of this tree
 * needs (given or not): what NEEDS_OPTION answers ask for, except a descendant's session or process
 * group whose leader is in the tree.
 */
public record TreeReport(long root, List<ProcessReport> processes, List<Blocker> blockers, Set<String> options) {

    public TreeReport {
        processes = List.copyOf(processes);
        blockers = List.copyOf(blockers);
        options = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(options));
    }

    /** Why a blocker blocks: the exit code a refused dump gets follows the first of these that occurs. */
    public enum Cause {
        /** jcr may not read or trace the process (exit 4). */
        PERMISSION,
        /** another process traces it; a process has only one tracer (exit 5). */
        TRACED,
        /** a resource no driver can dump, or one that needs an option not given (exit 6). */
        UNSUPPORTED
    }

    /**
     * One thing in the way: ASSESSMENT of process PID (COMM); TRACER_PID is that process's tracer
     * (0 when untraced), so a TRACED blocker can name it.
     */
    public record Blocker(long pid, String comm, Assessment assessment, Cause cause, long tracerPid) {

        /** "pid 1234 (comm): fd 7: inotify …: not supported yet", with "(needs --shell-job)" when an option helps. */
        public String message() {
            return "pid " + pid + " (" + comm + "): " + assessment.message()
                    + (assessment.option() != null ? " (needs " + assessment.option() + ")" : "");
        }
    }

    /** True when every blocker would go away with an option ({@link #options()}). */
    public boolean onlyOptionsMissing() {
        return blockers.stream().allMatch(b -> b.assessment().option() != null);
    }

    /** True when a dump with the options given goes ahead. */
    public boolean checkpointable() {
        return blockers.isEmpty();
    }

    /** The root's own report. */
    public ProcessReport rootReport() {
        return processes.get(0);
    }

    /** The most telling cause among the blockers (PERMISSION before TRACED before UNSUPPORTED), if any. */
    public Optional<Cause> cause() {
        return blockers.stream().map(Blocker::cause).min(Enum::compareTo);
    }

    /** The first blocker with CAUSE, if any. */
    public Optional<Blocker> first(Cause cause) {
        return blockers.stream().filter(b -> b.cause() == cause).findFirst();
    }

    /** One sentence per blocker, as {@link Blocker#message()}. */
    public List<String> messages() {
        return blockers.stream().map(Blocker::message).toList();
    }
}
