package dev.jcr.resource;

import dev.jcr.proc.Devices;
import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.PathLink;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.SeccompMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Blockers that belong to a process as a whole rather than to one of its resources. The process is
 * judged as the root of a dump (a dump takes a process with all its descendants).
 */
public final class ProcessChecks {

    /** The resource name of the blocker "traced by another process" (a dump then exits TRACED). */
    public static final String TRACER = "tracer";
    /** The resource name of blockers that say jcr may not read or trace the process (PERMISSION). */
    public static final String ACCESS = "access";
    public static final String SESSION = "session";
    public static final String PROCESS_GROUP = "process group";
    /** The controlling terminal of a process (stat's tty_nr). */
    public static final String TERMINAL = "terminal";
    /** The resource name of the zombie blocker: a zombie cannot be a dump's root, but is dumped with its parent. */
    public static final String ZOMBIE = "zombie";

    private final Self self;

    public ProcessChecks(Self self) {
        this.self = self;
    }

    /**
     * Every process-level blocker of P, collected. COMM_OF names other processes (the tracer) for the
     * messages; CWD and ROOT are P's directories (empty when unknown).
     */
    public List<Assessment> assess(ProcessInfo p, Optional<PathLink> cwd, Optional<PathLink> root,
            LongFunction<String> commOf) {
        List<Assessment> out = new ArrayList<>();
        ResourceKind k = ResourceKind.PROCESS;
        if (p.pid() == self.pid()) {
            out.add(Assessment.unsupported("process", k, "this is jcr itself"));
        }
        if (p.kernelThread()) {
            out.add(Assessment.unsupported("process", k, "kernel thread: lives in the kernel, nothing to checkpoint"));
            return out;
        }
        if (p.isZombie()) {
            out.add(Assessment.unsupported(ZOMBIE, k, "zombie: has exited and waits for its parent to reap it"
                    + " (dumped with its parent, not on its own)"));
            return out;
        }
        if (p.isTraced()) {
            String tracer = commOf.apply(p.tracerPid());
            out.add(Assessment.unsupported(TRACER, k, "already traced by pid " + p.tracerPid()
                    + (tracer == null ? "" : " (" + tracer + ")") + ": a process can have only one tracer"));
        }
        if (p.namespaces().inode(NamespaceType.PID) < 0) {
            out.add(Assessment.unsupported(ACCESS, k, "jcr may not inspect its namespaces (permission denied):"
                    + " it is more privileged than jcr"));
        } else if (p.namespaces().inode(NamespaceType.PID) != self.namespaces().inode(NamespaceType.PID)) {
            out.add(Assessment.unsupported("process", k, "in another PID namespace than jcr: not supported yet"));
        }
        for (NamespaceType t : p.namespaces().differingFrom(self.namespaces())) {
            // a time namespace only shifts clocks: the dump records them as the tree sees them (its
            // clocks go on after a restore in a namespace of its own); TreeCheck wants one per tree
            if (t != NamespaceType.PID && t != NamespaceType.TIME) {
                out.add(Assessment.unsupported("process", k, "in another " + t.file()
                        + " namespace than jcr: not supported yet"));
            }
        }
        if (p.uids().real() != self.euid() && p.uids().effective() != self.euid()
                && !self.hasCapability(Self.CAP_SYS_PTRACE)) {
            out.add(Assessment.unsupported(ACCESS, k, "owned by uid " + p.uids().real()
                    + ", and jcr (uid " + self.euid() + ") lacks CAP_SYS_PTRACE: run jcr as root"));
        }
        if (p.seccomp() == SeccompMode.STRICT) {
            out.add(Assessment.unsupported("process", k, "seccomp strict mode: not supported"));
        } else if (p.seccomp() == SeccompMode.FILTER) {
            out.add(Assessment.unsupported("process", k, "seccomp filters: not supported yet"));
        }
        cwd.ifPresent(c -> {
            // a removed working directory is recreated (and removed again) by the restore, in its parent
            java.nio.file.Path parent = java.nio.file.Path.of(c.path()).getParent();
            if (c.deleted() && (parent == null || !java.nio.file.Files.isDirectory(parent))) {
                out.add(Assessment.unsupported("cwd", k, "working directory " + c.path()
                        + " was removed, and so was the directory it was in: not supported"));
            }
        });
        root.ifPresent(r -> {
            if (!r.path().equals("/")) {
                out.add(Assessment.unsupported("root", k, "chrooted to " + r.path() + ": not supported yet"));
            }
        });
        // The session and process group leaders are not part of a dump rooted here; restore can only
        // put the process back into the restoring shell's session.
        if (p.sid() != p.pid()) {
            out.add(Assessment.needsOption(SESSION, k, "session leader " + p.sid()
                    + " is outside the dumped tree", Options.SHELL_JOB));
        } else if (p.pgid() != p.pid()) {
            out.add(Assessment.needsOption(PROCESS_GROUP, k, "process group leader " + p.pgid()
                    + " is outside the dumped tree", Options.SHELL_JOB));
        }
        if (p.ttyNr() != 0) {
            out.add(Assessment.needsOption(TERMINAL, k, "controlling terminal " + p.ttyName(), Options.SHELL_JOB));
        }
        return out;
    }

    /**
     * A process-level answer A inside TREE: a controlling terminal (stat's TTY_NR) that is a pty whose
     * master the tree holds is restored with the tree (the pty driver makes it the session's terminal
     * again) and needs no --shell-job.
     */
    static Assessment inTree(Assessment a, int ttyNr, TreeView tree) {
        if (!a.resource().equals(TERMINAL) || a.verdict() != Verdict.NEEDS_OPTION || ttyNr == 0) {
            return a;
        }
        int major = (ttyNr >>> 8) & 0xff;
        int minor = (ttyNr & 0xff) | ((ttyNr >>> 12) & 0xfff00);
        if (!Devices.isPtySlave(major)) {
            return a;
        }
        int n = Devices.ptyIndex(major, minor);
        boolean master = !tree.find(f -> f.kind() == dev.jcr.proc.FdKind.PTY_MASTER
                && f.detail() instanceof dev.jcr.proc.FdDetail.Device d && d.ptyIndex() == n).isEmpty();
        return master ? Assessment.supported(TERMINAL, a.kind(), "controlling terminal /dev/pts/" + n
                + " (its master is dumped with it)") : a;
    }
}
