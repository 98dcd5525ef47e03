package dev.jcr.restore;

import dev.jcr.JcrException;
import dev.jcr.JcrException.Kind;
import dev.jcr.fault.Cancellation;
import dev.jcr.fault.Cancelled;
import dev.jcr.fault.Faults;
import dev.jcr.image.ImageDir;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.ItimerEntry;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.InProcess;
import dev.jcr.sys.Linux;
import dev.jcr.sys.RseqConfiguration;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.WaitStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Brings a dumped tree back: plan (read + validate, nothing created), then a seed process (jcr's
 * own child, traced) from which the tree is cloned with the original pids (clone3 set_tid), then
 * each process rebuilt from inside by remote syscalls, then every thread's registers, then resume.
 *
 * <p>With {@link RestoreOptions#pidNamespace()} the tree goes into a new PID namespace whose pid 1 is an
 * init of jcr's (a reaper); the dumped pids are then pids inside it, and every step that addresses a
 * task from jcr's side uses its pid on this host ({@code host(pid)}).
 *
 * <p>Until the tree is released every created process is traced and stopped; any failure kills
 * them all and waits until they are gone. The release is all or nothing (see release()): jcr dying
 * before the root runs kills every process, after it none. jcr dying meanwhile kills
 * them too (PTRACE_O_EXITKILL).
 */
public final class RestoreEngine {

    private static final long TRACE_OPTIONS = Linux.PTRACE_O_TRACESYSGOOD | Linux.PTRACE_O_TRACEFORK
            | Linux.PTRACE_O_TRACECLONE | Linux.PTRACE_O_EXITKILL;
    private static final long CLONE_PARENT = 0x8000;
    private static final long THREAD_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000;
    private static final int SIGCHLD = 17;
    private static final int SIGKILL = 9;
    private static final int SIGWINCH = 28;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final long CLONE_NEWPID = 0x20000000;

    /**
     * The code of a new PID namespace's init (x86-64): {@code loop: wait4(-1, 0, 0, 0); if (rax ==
     * -ECHILD) pause(); jmp loop} — it reaps whatever the namespace's processes leave to it.
     */
    private static final byte[] REAPER = bytes(
            0xb8, 0x3d, 0x00, 0x00, 0x00,        // 00 loop: mov $61 (wait4), %eax
            0x48, 0xc7, 0xc7, 0xff, 0xff, 0xff, 0xff, // 05 mov $-1, %rdi
            0x31, 0xf6,                          // 0c xor %esi, %esi
            0x31, 0xd2,                          // 0e xor %edx, %edx
            0x45, 0x31, 0xd2,                    // 10 xor %r10d, %r10d
            0x0f, 0x05,                          // 13 syscall
            0x48, 0x83, 0xf8, 0xf6,              // 15 cmp $-10 (ECHILD), %rax
            0x75, 0xe5,                          // 19 jne loop
            0xb8, 0x22, 0x00, 0x00, 0x00,        // 1b mov $34 (pause), %eax
            0x0f, 0x05,                          // 20 syscall
            0xeb, 0xdc);                         // 22 jmp loop

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private final RestoreListener listener;
    private final Path procRoot = Path.of("/proc");
    private final dev.jcr.proc.ProcFs fs = new dev.jcr.proc.ProcFs(procRoot);

    public RestoreEngine(RestoreListener listener) {
        this.listener = listener == null ? RestoreListener.NONE : listener;
    }

    /** Plans, restores and (unless detached) waits for the root to end. */
    public RestoreResult restore(RestoreOptions options) {
        Cancellation.enter();
        try {
            return restoreNow(options);
        } finally {
            Cancellation.leave();
        }
    }

    private RestoreResult restoreNow(RestoreOptions options) {
        Faults.armFromEnvironment();
        PhaseClock clock = new PhaseClock(listener);
        clock.phase(RestoreListener.Phase.PLAN, 0);
        if (options.pidNamespace() && !options.detach()) {
            throw new RestoreException(Kind.USAGE, "a restore into a new PID namespace is detached: its root is the"
                    + " child of the namespace's init, not of jcr");
        }
        if (options.pidNamespace() && options.shellJob()) {
            throw new RestoreException(Kind.USAGE, "--shell-job keeps the tree in jcr's session, which a new PID"
                    + " namespace cannot");
        }
        RestorePlan plan = PlanBuilder.build(options.dir(), options.pidNamespace(), options.given());
        Faults.hit(Faults.RESTORE_PLANNED);
        ProcessPlan root = plan.root();
        if (options.pidNamespace() && plan.processes().stream().anyMatch(p -> p.pid() == 1)) {
            throw new RestoreException(Kind.UNSUPPORTED, "the dumped tree has a pid 1 of its own: restoring it into a"
                    + " new PID namespace, where jcr's init is pid 1, is not supported");
        }
        if (root.sid() != root.pid() && !options.shellJob()) {
            throw new RestoreException(Kind.UNSUPPORTED, "process " + root.pid() + " was in session " + root.sid()
                    + ", whose leader was not dumped: restore it into jcr's session with --shell-job");
        }
        if (!options.shellJob()) {
            plan.terminalUse().ifPresent(t -> {
                throw new RestoreException(Kind.UNSUPPORTED, t + " was a terminal: restore with --shell-job to give"
                        + " the tree jcr's terminal");
            });
        }
        Optional<TimeNamespace> timens = TimeNamespace.plan(ImageDir.open(options.dir()), options.timens());
        Run run = new Run(plan, options, timens, clock);
        run.execute();
        RestoreStats stats = clock.stop();
        int status = -1;
        int hostRoot = run.host(root.pid());
        if (options.pidfile() != null) {
            writePidfile(options.pidfile(), hostRoot);
        }
        if (!options.detach()) {
            status = awaitRoot(hostRoot);
        }
        run.terminalDone(!options.detach());
        listener.phase(RestoreListener.Phase.DONE, root.pid());
        return new RestoreResult(root.pid(), plan.processes().stream().map(ProcessPlan::pid).toList(), status, stats,
                hostRoot);
    }

    /**
     * Waits for the restored root to end and returns its wait status; a {@link Cancellation} (jcr got
     * SIGINT/SIGTERM/SIGHUP) ends the wait, not the tree, which is released and runs on.
     */
    private static int awaitRoot(int pid) {
        int spins = 0;
        while (true) {
            WaitStatus st = Linux.waitpid(pid, Linux.WNOHANG);
            if (st.pid() != 0) {
                return st.raw();
            }
            if (Cancellation.requested()) {
                throw new Cancelled(Cancellation.reason()).withOutcome("no longer waiting for " + pid
                        + ": the restored tree runs on");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(++spins < 50 ? 1_000_000 : 50_000_000);
        }
    }

    /** Reads and validates the images only (what `jcr restore` checks before it creates anything). */
    public static RestorePlan plan(Path dir) {
        return PlanBuilder.build(dir);
    }

    private static void writePidfile(Path f, int pid) {
        try {
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RestoreException(Kind.IO, "cannot write pidfile " + f + ": " + dev.jcr.image.ImageIoException.why(f, e));
        }
    }

    /** One restore in progress: what has been created so far, for cleanup. */
    private final class Run {
        private final RestorePlan plan;
        private final RestoreOptions options;
        private final Optional<TimeNamespace> timens;
        private final RestoreListener listener;
        private final List<Integer> created = new ArrayList<>();
        /** Dumped pid or tid -> the same task's pid on this host (they differ inside a new PID namespace). */
        private final java.util.Map<Integer, Integer> hostIds = new java.util.HashMap<>();
        private int seed = -1;
        /** The init of the new PID namespace (host pid), or -1; it stays as the namespace's reaper. */
        private int init = -1;
        private long initLoop;
        /**
         * In a new PID namespace, where jcr's pid is not visible: the fd number at which each process
         * (host pid) holds the pidfd of jcr it inherited from its parent (the seed opened it), kept from
         * its address space until its files are in place, for its children to inherit in turn.
         */
        private final java.util.Map<Integer, Integer> jcrPidfds = new java.util.HashMap<>();
        private Tracer tracer;
        private dev.jcr.resource.device.Terminals.Saved savedTerminal;
        /** The root is released: from here on the tree outlives jcr and no failure may take it back. */
        private boolean committed;

        Run(RestorePlan plan, RestoreOptions options, Optional<TimeNamespace> timens, RestoreListener listener) {
            this.plan = plan;
            this.options = options;
            this.timens = timens;
            this.listener = listener;
        }

        /** The host pid of dumped pid or tid ID. */
        int host(int id) {
            return hostIds.getOrDefault(id, id);
        }

        void execute() {
            tracer = Tracer.start();
            try {
                // each remote syscall is handed over to the tracer thread. Running the whole restore on
                // that thread would save the switches, but then restored fixtures intermittently missed
                // a SIGUSR1 sent right after the restore (DumpRestoreTest): not understood yet, not done
                restoreAll();
            } finally {
                tracer.close();
            }
        }

        private void restoreAll() {
            boolean resumed = false;
            committed = false;
            FileTable files = new FileTable(plan, DriverTable.standard(), this::host);
            try {
                startSeed();
                long[] progress = {0};
                // parents before children: each child is cloned from its parent once the parent's memory
                // is back, and keeps what they shared (Inheritance)
                for (ProcessPlan p : plan.processes()) {
                    listener.phase(RestoreListener.Phase.CREATE_TREE, p.pid());
                    create(p);
                    if (!p.zombie()) {
                        listener.phase(RestoreListener.Phase.ADDRESS_SPACE, p.pid());
                        progress[0] += addressSpace(p, files, progress);
                    }
                }
                finishTree();
                for (ProcessPlan p : plan.living()) {
                    filesAndState(p, files);
                }
                for (ProcessPlan p : plan.living()) {
                    listener.phase(RestoreListener.Phase.THREADS, p.pid());
                    threads(p);
                }
                files.finish();
                files.resume();
                files.close();
                listener.phase(RestoreListener.Phase.RESUME, plan.root().pid());
                List<ProcessPlan> stopped = plan.living().stream().filter(ProcessPlan::stopped).toList();
                for (ProcessPlan p : stopped) {
                    // queued while every thread is still held: it stops before running one instruction
                    Linux.kill(host(p.pid()), StopSignal.of(plan, p, options.shellJob()));
                }
                if (options.shellJob()) {
                    giveTerminalState();
                }
                if (init > 0) {
                    startReaper();
                }
                resumed = true; // from here on a task may run
                release(stopped);
            } catch (RuntimeException e) {
                if (committed) {
                    throw e; // the tree is released as a whole and runs on: nothing to take back
                }
                terminalDone(true);
                killAll();
                files.rollback(); // before the commit every process is gone again: so is what was made for them
                if (e instanceof Cancelled c) {
                    throw c.withOutcome("every process the restore had made is gone again");
                }
                if (e instanceof JcrException) {
                    throw e;
                }
                throw new RestoreException(Kind.INTERNAL, "restore failed" + (resumed ? " after resuming" : "") + ": " + e, e);
            } finally {
                files.close();
            }
        }

        /**
         * --shell-job: the restored tree's terminal fds are jcr's terminal, which is in whatever mode the
         * shell left it (canonical, echoing). It gets the dumped terminal's line settings (tty-info.img),
         * the program's, and every restored process that holds it gets SIGWINCH, queued while it is still
         * held: its screen is not on this terminal, and SIGWINCH is how a terminal program learns that
         * its terminal changed, reads the window size (this window's) and redraws (as when tmux or screen
         * reattach).
         */
        private void giveTerminalState() {
            List<ProcessPlan> onTerminal = plan.living().stream().filter(p -> p.fds().stream().anyMatch(fd -> {
                var f = plan.files().get(fd.getId());
                return f != null && f.hasReg() && dev.jcr.resource.device.Terminals.isTerminal(f.getReg().getName());
            })).toList();
            if (onTerminal.isEmpty()) {
                return;
            }
            List<dev.jcr.image.ImageEntry> ttys = plan.images().read(dev.jcr.image.ImageKind.TTY_INFO, null);
            if (!ttys.isEmpty()) {
                // jcr has one terminal to give: the state of the first one dumped (the root's lowest terminal fd)
                savedTerminal = dev.jcr.resource.device.Terminals.applyToOwn(
                        ttys.get(0).as(dev.jcr.image.proto.TtyInfoEntry.class));
            }
            for (ProcessPlan p : onTerminal) {
                Linux.kill(host(p.pid()), SIGWINCH);
            }
        }

        /** After the restored program (PUT_BACK) or at once: jcr's terminal gets back the state it had before. */
        void terminalDone(boolean putBack) {
            dev.jcr.resource.device.Terminals.Saved s = savedTerminal;
            savedTerminal = null;
            if (s == null) {
                return;
            }
            if (putBack) {
                dev.jcr.resource.device.Terminals.putBack(s);
            } else {
                Linux.close(s.fd());
            }
        }

        /** Waits (bounded) until PID shows as stopped in /proc: the stop signal queued for it has acted. */
        private void awaitStopped(int pid) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Path stat = procRoot.resolve(pid + "/stat");
            while (System.nanoTime() < deadline) {
                try {
                    String s = Files.readString(stat);
                    if (s.charAt(s.lastIndexOf(')') + 2) == 'T') {
                        return;
                    }
                } catch (IOException | RuntimeException e) {
                    return; // gone: nothing to wait for
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }

        // ------------------------------------------------------------ tree

        private void startSeed() {
            listener.phase(RestoreListener.Phase.SEED, 0);
            // a private copy of sleep, never /bin/sleep itself: see SeedExecutable
            // JCR_SEED_OF tells a leftover apart; it would sleep only 30 s anyway: once seized (with
            // PTRACE_O_EXITKILL) it never runs its own code again
            seed = Linux.spawn(SeedExecutable.path(), new String[] {"sleep", "30"},
                    new String[] {"JCR_SEED_OF=" + Linux.getpid()},
                    !options.shellJob() || plan.root().sid() == plan.root().pid());
            tracer.seizeTask(seed, TRACE_OPTIONS);
            Faults.hit(Faults.RESTORE_SEED);
            timens.ifPresent(this::enterTimeNamespace);
            if (options.pidNamespace()) {
                enterPidNamespace();
            }
        }

        /**
         * Gives the seed a new PID namespace for its children: the first child becomes the namespace's
         * pid 1, jcr's init (it stays, reaping orphans, when the restore ends); the tree is then cloned
         * from it with the dumped pids, which are free there by construction. jcr's pid is not visible
         * inside, so the seed first opens a pidfd of jcr, which init and the root inherit, and each
         * process passes on to the children cloned from it ({@link #connect}).
         */
        private void enterPidNamespace() {
            try (RemoteSyscalls r = tracer.remote(seed)) {
                int pidfd = (int) r.check("pidfd_open(jcr)", Target.SYS_PIDFD_OPEN, Linux.getpid(), 0);
                r.check("unshare(CLONE_NEWPID)", TimeNamespace.SYS_UNSHARE, CLONE_NEWPID);
                r.clone3(0, SIGCHLD);
                List<Integer> born = r.newChildren();
                if (born.size() != 1) {
                    throw new RestoreException(Kind.INTERNAL, "the namespace's init was not born: " + born);
                }
                init = born.get(0);
                created.add(init);
                jcrPidfds.put(init, pidfd);
            } catch (SyscallException | dev.jcr.ptrace.RemoteSyscallException e) {
                throw new RestoreException(e.kind(), "cannot make a new PID namespace: " + e.getMessage(), e);
            }
            try (RemoteSyscalls r = tracer.remote(init)) {
                long page = r.mmap(0, RemoteSyscalls.PAGE, Linux.PROT_READ | Linux.PROT_WRITE,
                        Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
                r.write(page, REAPER);
                r.mprotect(page, RemoteSyscalls.PAGE, Linux.PROT_READ | Linux.PROT_EXEC);
                initLoop = page;
            }
        }

        /** Points the namespace's init at its loop: wait4(-1) for any child, pause when it has none. */
        private void startReaper() {
            // it sits in its first stop, just out of clone3 with ax = 0: no syscall is restarted
            dev.jcr.ptrace.GpRegs regs = tracer.gpRegs(init);
            tracer.setGpRegs(init, regs.withAxIp(regs.ax(), initLoop));
        }

        /** Clones P with its pid: the root inside the seed, a child inside its (already rebuilt) parent; then its session and group. */
        private void create(ProcessPlan p) {
            int parent = p == plan.root() ? (init > 0 ? init : seed) : host(p.ppid());
            int pid;
            int hostPid;
            try (RemoteSyscalls r = tracer.remote(parent)) {
                // waiting for the root needs it as jcr's child (CLONE_PARENT: a sibling of the seed);
                // a detached root is the seed's child and goes to init when the seed is killed
                pid = p == plan.root() && !options.detach() ? r.clone3(CLONE_PARENT, 0, p.pid())
                        : r.clone3(0, SIGCHLD, p.pid());
                // clone3 answers in the parent's PID namespace; ptrace tells jcr the pid on this host
                List<Integer> born = r.newChildren();
                hostPid = born.isEmpty() ? pid : born.get(0);
            } catch (SyscallException | dev.jcr.ptrace.RemoteSyscallException e) {
                throw failed(p.pid(), "clone3 with pid " + p.pid(), e);
            }
            created.add(hostPid);
            hostIds.put(p.pid(), hostPid);
            Integer inherited = jcrPidfds.get(parent);
            if (inherited != null) {
                jcrPidfds.put(hostPid, inherited); // the same fd number in the child's copy of the table
            }
            if (pid != p.pid()) {
                throw new RestoreException(Kind.INTERNAL, "clone3 gave pid " + pid + " instead of " + p.pid());
            }
            Faults.hit(Faults.RESTORE_CLONED);
            try (RemoteSyscalls r = tracer.remote(hostPid)) {
                Target t = new Target(r, hostPid);
                if (p != plan.root() && !p.zombie()) {
                    // before it runs anything: it dies when its parent dies, until the tree is released
                    // as a whole (the root is held by PTRACE_O_EXITKILL until then; see release())
                    t.call("prctl(PR_SET_PDEATHSIG)", RemoteSyscalls.SYS_PRCTL, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                }
                if (p.sid() == p.pid()) {
                    t.call("setsid", Target.SYS_SETSID);
                } else if (p.pgid() == p.pid() && !(p == plan.root() && options.shellJob())) {
                    // a --shell-job root stays in jcr's process group (as CRIU does): the terminal's
                    // foreground group, so that it can read from it
                    t.call("setpgid(0, 0)", Target.SYS_SETPGID, 0, 0);
                } else if (p != plan.root() && p.pgid() != parentPgid(p)) {
                    t.call("setpgid(0, " + p.pgid() + ")", Target.SYS_SETPGID, 0, p.pgid());
                }
            }
        }

        /** Every process exists: zombies die, and the seed goes. */
        private void finishTree() {
            // zombies die now that every process (a zombie may lead a group others join) exists
            for (ProcessPlan p : plan.processes()) {
                if (p.zombie()) {
                    Zombies.die(tracer, fs, p, host(p.pid()), host(p.ppid()));
                }
            }
            if (init > 0) {
                // the namespace's init keeps nothing of the seed's: the root has its own copies
                try (RemoteSyscalls r = tracer.remote(init)) {
                    new Target(r, init).closeAll();
                }
            }
            // the tree no longer needs its seed
            Linux.kill(seed, SIGKILL);
            tracer.run(() -> Linux.waitpid(seed, Linux.WALL));
            tracer.detach(seed);
            seed = -1;
            Faults.hit(Faults.RESTORE_TREE);
        }

        /**
         * Lets the tree run, as a whole: if jcr dies at any instant before the root is let go, every
         * restored process dies (the held ones by PTRACE_O_EXITKILL, the released ones by the
         * parent-death signal armed when they were created: the root dies, then its children, and so
         * on down); after that instant, none does. So: stopped processes first, into their stop (a
         * parent that looks at its stopped child at once finds it stopped, as before the dump), then
         * every other process, then the root's threads, its main thread last (a thread still held
         * takes its whole process with it). Then each other process gets its own parent-death signal
         * back (a guarded remote prctl: jcr may die during that, too).
         */
        private void release(List<ProcessPlan> stopped) {
            int root = host(plan.root().pid());
            for (ProcessPlan p : stopped) {
                if (p != plan.root()) {
                    p.threads().forEach(th -> tracer.detach(host(th.tid())));
                }
            }
            for (ProcessPlan p : stopped) {
                if (p != plan.root()) {
                    awaitStopped(host(p.pid()));
                }
            }
            for (dev.jcr.ptrace.TracedTask t : tracer.tasks()) {
                if (t.tgid() != root && t.tgid() != init) {
                    tracer.detach(t.tid());
                }
            }
            Faults.hit(Faults.RESTORE_RELEASE);
            // a new PID namespace's init last: jcr dying while it is held kills it, and with it every
            // process of its namespace, the root's too; so letting it go is the instant of commit there
            List<dev.jcr.ptrace.TracedTask> rootTasks = new ArrayList<>(tracer.tasks());
            rootTasks.sort(java.util.Comparator.comparingInt((dev.jcr.ptrace.TracedTask t) -> t.tgid() == init ? 2
                    : t.tid() == root ? 1 : 0));
            for (dev.jcr.ptrace.TracedTask t : rootTasks) {
                tracer.detach(t.tid());
            }
            committed = true;
            try {
                Faults.hit(Faults.RESTORE_COMMITTED);
            } finally {
                disarmParentDeath();
            }
        }

        /** Gives every living non-root process its parent-death signal from the images (0 when none) back. */
        private void disarmParentDeath() {
            List<String> failed = new ArrayList<>();
            for (ProcessPlan p : plan.living()) {
                if (p == plan.root()) {
                    continue;
                }
                int sig = p.core().getThreadCore().getPdeathSig();
                int pid = host(p.pid());
                try {
                    tracer.seizeTask(pid);
                    try (RemoteSyscalls r = tracer.remote(pid)) {
                        r.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0);
                    } finally {
                        tracer.detach(pid);
                    }
                } catch (dev.jcr.ptrace.NoSuchProcessException gone) {
                    // it ended on its own meanwhile
                } catch (JcrException e) {
                    failed.add(p.pid() + " (" + e.getMessage() + ")");
                }
            }
            if (!failed.isEmpty()) {
                throw new RestoreException(Kind.INTERNAL, "the tree is restored and runs, but these processes still"
                        + " die with their parent (parent-death signal SIGKILL): " + String.join(", ", failed));
            }
        }

        /**
         * Gives the seed a new time namespace for its children (every process of the tree is cloned
         * from it), with clocks offset so that they go on from the dump's. Offsets can only be set
         * while no process lives in the namespace: before the first clone3.
         */
        private void enterTimeNamespace(TimeNamespace ns) {
            try (RemoteSyscalls r = tracer.remote(seed)) {
                r.check("unshare(CLONE_NEWTIME)", TimeNamespace.SYS_UNSHARE, TimeNamespace.CLONE_NEWTIME);
            }
            Path offsets = procRoot.resolve(seed + "/timens_offsets");
            try {
                Files.writeString(offsets, ns.offsetsText());
            } catch (IOException e) {
                throw new RestoreException(Kind.PERMISSION, "cannot set the clocks of the restored tree's time"
                        + " namespace (" + offsets + "): " + e.getMessage() + "; restore with --timens never to"
                        + " give it this machine's clocks");
            }
        }

        private int parentPgid(ProcessPlan p) {
            return plan.processes().stream().filter(q -> q.pid() == p.ppid()).findFirst().map(ProcessPlan::pgid)
                    .orElse(-1);
        }

        // ------------------------------------------------------------ one process

        /** P's memory, from inside it (it is cloned from its parent or the seed); returns its pages. */
        private long addressSpace(ProcessPlan p, FileTable files, long[] progress) {
            int pid = host(p.pid());
            try (RemoteSyscalls r = tracer.remote(pid)) {
                Target t = new Target(r, pid);
                RseqConfiguration rseq = tracer.rseq(pid);
                if (rseq.rseqAbiPointer() != 0) {
                    // the seed's registration points into memory about to go away
                    t.call("rseq unregister", Target.SYS_RSEQ, rseq.rseqAbiPointer(), rseq.rseqAbiSize(), 1,
                            rseq.signature());
                }
                Integer inherited = jcrPidfds.get(pid);
                if (inherited != null) {
                    // every fd but the inherited pidfd goes; that one stays (above every fd of P) until
                    // P's files are in place: its children, cloned before, inherit it
                    t.connectInherited(inherited, lowestFree(p));
                    jcrPidfds.put(pid, t.jcrPidfd());
                } else {
                    t.closeAll();
                    t.connect(Linux.getpid(), lowestFree(p));
                }
                ProcessPlan parent = p == plan.root() ? null : plan.process(p.ppid());
                Inheritance kept = parent == null ? Inheritance.none() : Inheritance.of(parent, p);
                new AddressSpace(t, p, files, procRoot, kept).rebuild(listener, progress, plan.totalPages());
                if (inherited == null) {
                    t.disconnect();
                }
                Faults.hit(Faults.RESTORE_MEMORY);
            }
            return p.pages();
        }

        private int lowestFree(ProcessPlan p) {
            return Math.max(p.fds().stream().mapToInt(FdinfoEntry::getFd).max().orElse(2) + 1, 3);
        }

        /** P's fds, working directory, umask and process-wide state. */
        private void filesAndState(ProcessPlan p, FileTable files) {
            int pid = host(p.pid());
            try (RemoteSyscalls r = tracer.remote(pid)) {
                Target t = new Target(r, pid);
                Integer kept = jcrPidfds.remove(pid);
                if (kept != null) {
                    t.adopt(kept); // the pidfd kept from its address space (a new PID namespace)
                } else {
                    t.connect(Linux.getpid(), lowestFree(p));
                }
                listener.phase(RestoreListener.Phase.FILES, p.pid());
                for (FdinfoEntry fd : p.fds()) {
                    t.install(files.fd(fd.getId()), fd.getFd(), (fd.getFlags() & 1) != 0, "fd " + fd.getFd());
                }
                files.settle(p, inProcess(t));
                int cwd = t.take(files.fd(p.fs().getCwdId()), "working directory");
                t.call("fchdir", Target.SYS_FCHDIR, cwd);
                t.close(cwd);
                t.disconnect();
                Faults.hit(Faults.RESTORE_FILES);
                listener.phase(RestoreListener.Phase.PROCESS_STATE, p.pid());
                if (p.fs().hasUmask()) {
                    t.call("umask", Target.SYS_UMASK, p.fs().getUmask());
                }
                processState(t, p.core());
                Faults.hit(Faults.RESTORE_STATE);
            }
        }

        /** The drivers' view of T: remote syscalls in a process whose fds are in place. */
        private static InProcess inProcess(Target t) {
            return new InProcess() {
                @Override
                public int pid() {
                    return t.pid();
                }

                @Override
                public long call(String what, int nr, long... args) {
                    return t.call(what, nr, args);
                }

                @Override
                public long put(byte[] data) {
                    return t.put(data);
                }
            };
        }

        private void processState(Target t, CoreEntry core) {
            var tc = core.getTc();
            Sigactions.restore(t, tc.getSigactionsList(), procRoot);
            if (tc.hasTimers()) {
                itimer(t, 0, tc.getTimers().getReal());
                itimer(t, 1, tc.getTimers().getVirt());
                itimer(t, 2, tc.getTimers().getProf());
            }
            if (tc.getPersonality() != 0) {
                t.call("personality", Target.SYS_PERSONALITY, tc.getPersonality());
            }
            if (tc.hasRlimits()) {
                Rlimits.restore(t, tc.getRlimits().getRlimitsList(), procRoot);
            }
        }

        private void itimer(Target t, int which, ItimerEntry e) {
            if (e.getIsec() == 0 && e.getIusec() == 0 && e.getVsec() == 0 && e.getVusec() == 0) {
                return;
            }
            ByteBuffer b = Target.le(32).putLong(e.getIsec()).putLong(e.getIusec()).putLong(e.getVsec())
                    .putLong(e.getVusec());
            long addr = t.put(b.array());
            t.call("setitimer(" + which + ")", Target.SYS_SETITIMER, which, addr, 0);
        }

        // ------------------------------------------------------------ threads

        private void threads(ProcessPlan p) {
            for (ThreadPlan th : p.threads()) {
                if (th.tid() == p.pid()) {
                    continue;
                }
                try (RemoteSyscalls r = tracer.remote(host(p.pid()))) {
                    int tid = r.clone3(THREAD_FLAGS, 0, th.tid());
                    List<Integer> born = r.newChildren();
                    int hostTid = born.isEmpty() ? tid : born.get(0);
                    created.add(hostTid);
                    hostIds.put(th.tid(), hostTid);
                    if (tid != th.tid()) {
                        throw new RestoreException(Kind.INTERNAL, "clone3 gave tid " + tid + " instead of " + th.tid());
                    }
                } catch (SyscallException | dev.jcr.ptrace.RemoteSyscallException e) {
                    throw failed(p.pid(), "clone3 of thread " + th.tid(), e);
                }
            }
            // the main thread last: the clones above ran on it
            for (int i = p.threads().size() - 1; i >= 0; i--) {
                ThreadPlan th = p.threads().get(i);
                threadState(p, th);
            }
            Faults.hit(Faults.RESTORE_THREADS);
        }

        private void threadState(ProcessPlan p, ThreadPlan th) {
            CoreEntry core = th.core();
            ThreadCoreEntry tcore = core.getThreadCore();
            int tid = th.tid();
            int hostTid = host(tid);
            boolean main = tid == p.pid();
            // the mask first: signals queued below must stay pending where they were blocked
            long mask = tcore.hasBlkSigset() ? tcore.getBlkSigset() : core.getTc().getBlkSigset();
            tracer.setSigmask(hostTid, mask & ~((1L << 8) | (1L << 18)));
            try (RemoteSyscalls r = tracer.remote(hostTid)) {
                Target t = new Target(r, hostTid);
                t.call("set_tid_address", Target.SYS_SET_TID_ADDRESS, core.getThreadInfo().getClearTidAddr());
                if (tcore.getFutexRla() != 0) {
                    t.call("set_robust_list", Target.SYS_SET_ROBUST_LIST, tcore.getFutexRla(), tcore.getFutexRlaLen());
                }
                if (tcore.hasSas()) {
                    var sas = tcore.getSas();
                    long addr = t.put(Target.le(24).putLong(sas.getSsSp()).putInt(sas.getSsFlags()).putInt(0)
                            .putLong(sas.getSsSize()).array());
                    t.call("sigaltstack", Target.SYS_SIGALTSTACK, addr, 0);
                }
                String comm = tcore.hasComm() ? tcore.getComm() : main ? p.comm() : null;
                if (comm != null) {
                    byte[] name = (comm + "\0").getBytes(StandardCharsets.UTF_8);
                    long addr = t.put(name);
                    t.call("prctl(PR_SET_NAME)", RemoteSyscalls.SYS_PRCTL, 15, addr, 0, 0, 0);
                }
                if (tcore.hasRseqEntry() && tcore.getRseqEntry().getRseqAbiPointer() != 0) {
                    var rs = tcore.getRseqEntry();
                    t.call("rseq register", Target.SYS_RSEQ, rs.getRseqAbiPointer(), rs.getRseqAbiSize(), 0,
                            rs.getSignature());
                }
                Scheduling.restore(t, tcore, procRoot);
                if (tcore.hasSignalsP()) {
                    PendingSignals.queue(t, p.pid(), tid, tcore.getSignalsP(), false);
                }
                if (main) {
                    // last thread of the process: every thread a timer or a shared signal may pick exists
                    var tc = core.getTc();
                    if (tc.hasTimers()) {
                        PosixTimers.restore(t, tc.getTimers().getPosixList());
                    }
                    if (tc.hasSignalsS()) {
                        PendingSignals.queue(t, p.pid(), tid, tc.getSignalsS(), true);
                    }
                    TaskFlags.restore(t, tc, procRoot);
                }
                if (tcore.hasCreds()) {
                    Credentials.restore(t, hostTid, tcore.getCreds(), procRoot); // it may drop what the above needed
                }
                // after the credentials, whose change would reset them
                if (main && p != plan.root()) {
                    // the guard of create() again, which a change of ids cleared: it dies with its parent
                    // until the release, which gives it its own signal back (disarmParentDeath)
                    t.call("prctl(PR_SET_PDEATHSIG)", RemoteSyscalls.SYS_PRCTL, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                } else {
                    LateState.thread(t, tcore);
                }
                if (main) {
                    LateState.process(t, core.getTc(), p.mm());
                }
            }
            dev.jcr.ptrace.GpRegs regs = ThreadState.gpRegs(core.getThreadInfo().getGpregs());
            tracer.setGpRegs(hostTid, SyscallRestart.interrupted(regs, codeAround(hostTid, regs.ip())));
            tracer.setFpuState(hostTid, ThreadState.fpu(tid, core.getThreadInfo().getFpregs(), tracer.fpuState(hostTid)));
        }

        /** The 4 bytes at IP - 2 of thread TID (little-endian), or 0 when they cannot be read. */
        private long codeAround(int tid, long ip) {
            try {
                return tracer.call(() -> Linux.ptracePeekData(tid, ip - 2)) & 0xffffffffL;
            } catch (RuntimeException e) {
                return 0; // e.g. ip at the start of a mapping: then it is no rewound syscall we can vouch for
            }
        }

        // ------------------------------------------------------------ failure

        private RestoreException failed(int pid, String what, JcrException e) {
            Kind kind = e instanceof SyscallException se && (se.errno() == 17 /* EEXIST */)
                    ? Kind.CONFLICT : e.kind();
            return new RestoreException(kind, "process " + pid + ": " + what + " failed: " + e.getMessage(), e);
        }

        /** Kills every process created so far (all still traced and stopped) and waits until none is left. */
        private void killAll() {
            List<Integer> all = new ArrayList<>(created);
            if (seed > 0) {
                all.add(seed);
            }
            // a new PID namespace's init is the first created, so killed last (its death would take
            // every process of the namespace with it anyway)
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    Linux.kill(all.get(i), SIGKILL);
                } catch (SyscallException ignored) {
                    // already gone
                }
            }
            // collect the exits: threads before their leader (a leader's exit is reported only
            // after every other thread of its group is reaped), never blocking for long
            tracer.run(() -> {
                List<dev.jcr.ptrace.TracedTask> tasks = new ArrayList<>(tracer.tasks());
                java.util.Collections.reverse(tasks);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (var task : tasks) {
                    try {
                        while (System.nanoTime() < until) {
                            WaitStatus st = Linux.waitpid(task.tid(), Linux.WALL | Linux.WNOHANG);
                            if (st.pid() == 0) {
                                // nothing yet (a zero status would read as "exited")
                                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                            } else if (st.gone()) {
                                break;
                            }
                        }
                    } catch (SyscallException ignored) {
                        // not ours to wait for any more
                    }
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int pid : all) {
                while (Files.exists(procRoot.resolve(Integer.toString(pid))) && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
