package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.resource.TreeReport;
import java.util.List;

/**
 * The tree cannot be dumped: thrown before anything is frozen, with every blocker listed as
 * {@code jcr check} shows it. Its kind follows the most telling cause: PERMISSION when jcr may not read
 * or trace a process of the tree, else TRACED when one is traced by another process (a debugger, an
 * strace, a parent using PTRACE_TRACEME), else UNSUPPORTED.
 */
public final class UnsupportedTreeException extends JcrException {

    private final int root;
    private final TreeReport report;
    private final List<String> blockers;
    private final Kind kind;

    public UnsupportedTreeException(TreeReport report) {
        super(message(report));
        this.root = (int) report.root();
        this.report = report;
        this.blockers = report.messages();
        this.kind = switch (report.cause().orElse(TreeReport.Cause.UNSUPPORTED)) {
            case PERMISSION -> Kind.PERMISSION;
            case TRACED -> Kind.TRACED;
            case UNSUPPORTED -> Kind.UNSUPPORTED;
        };
    }

    private static String message(TreeReport r) {
        String head = "cannot dump process " + r.root() + ": ";
        String list = String.join("; ", r.messages());
        return switch (r.cause().orElse(TreeReport.Cause.UNSUPPORTED)) {
            case PERMISSION -> head + "permission denied: " + list;
            case TRACED -> {
                TreeReport.Blocker b = r.first(TreeReport.Cause.TRACED).orElseThrow();
                yield head + "pid " + b.pid() + " is traced by pid " + b.tracerPid()
                        + " (a process has only one tracer; detach it first): " + list;
            }
            case UNSUPPORTED -> head + list;
        };
    }

    public int root() {
        return root;
    }

    /** The check that refused the dump: every blocker with its process, kind and cause (front ends group them). */
    public TreeReport report() {
        return report;
    }

    /** One sentence per blocker: "pid 1234 (comm): fd 7: inotify with 2 watches: not supported yet". */
    public List<String> blockers() {
        return blockers;
    }

    @Override
    public Kind kind() {
        return kind;
    }
}
