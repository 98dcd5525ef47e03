package dev.jcr.resource;

import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessGoneException;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Can the tree rooted at a process be dumped with the options given, and if not, what stands in the
 * way. A dump takes a process with all its descendants, so this asks the drivers about every process
 * of the tree: it is the one answer behind both {@code jcr check} and {@code jcr dump}'s refusal.
 *
 * <p>A NEEDS_OPTION answer is allowed when the option is given; a descendant's session or process
 * group whose leader is inside the tree needs no option at all (only the root's leaders can be
 * outside, and restore recreates the ones inside); a zombie below the root is dumped with its parent.
 */
public final class TreeCheck {

    private final ProcFs fs;
    private final Analyzer analyzer;

    public TreeCheck(ProcFs fs, Analyzer analyzer) {
        this.fs = fs;
        this.analyzer = analyzer;
    }

    /** The system's processes, judged by the standard drivers. */
    public static TreeCheck system() {
        ProcFs fs = ProcFs.system();
        return new TreeCheck(fs, new Analyzer(fs));
    }

    /**
     * Checks the tree rooted at PID with OPTIONS (e.g. {@link Options#SHELL_JOB}).
     *
     * @throws ProcessGoneException if PID does not exist
     * @throws dev.jcr.proc.ProcAccessException if jcr may not read PID itself
     * @throws dev.jcr.proc.NotAProcessException if PID is a thread id
     */
    public TreeReport check(long pid, Set<String> options) {
        java.util.Optional<TreeReport> init = InitProcess.refusal(fs, pid);
        if (init.isPresent()) {
            return init.get();
        }
        // the root alone first: a root that is missing, unreadable or a thread fails the check as such
        ProcessReport root = analyzer.analyze(pid);
        List<ProcessInfo> sub = ProcessTree.scan(fs).subtree(pid);
        if (sub.isEmpty()) {
            throw new ProcessGoneException(pid, fs.root().resolve(Long.toString(pid)).toString());
        }
        Map<Long, ProcessReport> reports = analyzer.analyzeTree(ProcessTree.of(sub), options);
        reports.putIfAbsent(pid, root);
        Set<Long> inTree = new HashSet<>();
        for (ProcessInfo p : sub) {
            inTree.add(p.pid());
        }
        List<ProcessReport> processes = new ArrayList<>();
        List<TreeReport.Blocker> blockers = new ArrayList<>();
        Set<String> needed = new java.util.LinkedHashSet<>();
        long rootTime = sub.stream().filter(p -> p.pid() == pid).findFirst()
                .map(p -> p.namespaces().inode(NamespaceType.TIME)).orElse(-1L);
        for (ProcessInfo p : sub) {
            ProcessReport r = reports.get(p.pid());
            if (r == null) {
                continue; // exited meanwhile
            }
            processes.add(r);
            long time = p.namespaces().inode(NamespaceType.TIME);
            if (time >= 0 && rootTime >= 0 && time != rootTime) {
                // the images record one set of clocks (timens-0.img), the root's
                blockers.add(new TreeReport.Blocker(p.pid(), r.comm(), Assessment.unsupported("process",
                        ResourceKind.PROCESS, "in another time namespace than the tree's root: not supported"),
                        TreeReport.Cause.UNSUPPORTED, p.tracerPid()));
            }
            for (Assessment a : r.assessments()) {
                if (a.verdict() == Verdict.NEEDS_OPTION && (p.pid() == pid || !leaderInside(a, p, inTree))) {
                    needed.add(a.option());
                }
                if (!allowed(a, p, pid, inTree, options)) {
                    blockers.add(new TreeReport.Blocker(p.pid(), r.comm(), a, causeOf(a), p.tracerPid()));
                }
            }
        }
        for (SharedTables.Shared s : SharedTables.of(sub)) {
            ProcessReport r = reports.get(s.pid());
            if (r != null) {
                blockers.add(new TreeReport.Blocker(s.pid(), r.comm(), s.assessment(), TreeReport.Cause.UNSUPPORTED, 0));
            }
        }
        return new TreeReport(pid, processes, blockers, needed);
    }

    private static boolean allowed(Assessment a, ProcessInfo p, long root, Set<Long> inTree, Set<String> options) {
        return switch (a.verdict()) {
            case SUPPORTED -> true;
            case NEEDS_OPTION -> options.contains(a.option()) || (p.pid() != root && leaderInside(a, p, inTree));
            // a zombie below the root is dumped as one (exit status, place in the tree) and reaped by its
            // restored parent; only a zombie root has nothing to dump
            case UNSUPPORTED -> p.pid() != root && a.resource().equals(ProcessChecks.ZOMBIE);
        };
    }

    private static boolean leaderInside(Assessment a, ProcessInfo p, Set<Long> inTree) {
        return switch (a.resource()) {
            case ProcessChecks.SESSION -> inTree.contains(p.sid()) && (p.pgid() == p.pid() || inTree.contains(p.pgid()));
            case ProcessChecks.PROCESS_GROUP -> inTree.contains(p.pgid());
            default -> false;
        };
    }

    private static TreeReport.Cause causeOf(Assessment a) {
        return switch (a.resource()) {
            case ProcessChecks.ACCESS -> TreeReport.Cause.PERMISSION;
            case ProcessChecks.TRACER -> TreeReport.Cause.TRACED;
            default -> TreeReport.Cause.UNSUPPORTED;
        };
    }
}
