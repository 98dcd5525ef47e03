package dev.jcr.ptrace;

import dev.jcr.JcrException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.RseqConfiguration;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.WaitStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that talks ptrace to a traced tree. The kernel accepts ptrace requests only from the
 * thread that attached, so every request jcr makes runs here: public methods may be called from any
 * thread and hop onto the tracer thread ({@link #call} runs a whole batch there in one hop).
 *
 * <p>Closing detaches every task still traced, leaving it running as before (or stopped, if it was
 * stopped before we came), and re-queues any signal held back while it was driven. If jcr dies
 * instead, the kernel detaches all tracees by itself: nothing is lost either way (only a task
 * caught in the middle of a remote syscall would resume with borrowed registers).
 */
public final class Tracer implements AutoCloseable {

    /** Options every seized task gets: syscall stops are marked, so remote execution can tell them apart. */
    static final long BASE_OPTIONS = Linux.PTRACE_O_TRACESYSGOOD;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How long closing waits for tracees that are no longer stopped (killed ones: their exit). */
    private static final long SETTLE_NANOS = 10_000_000_000L;

    private final ExecutorService executor;
    private final Thread thread;
    private final ProcFiles proc;
    private final Map<Integer, TracedTask> tasks = new LinkedHashMap<>();
    private final Map<Integer, Long> syscallSites = new LinkedHashMap<>();
    private boolean closed;

    private Tracer(Path procRoot) {
        this.proc = new ProcFiles(procRoot);
        Thread[] holder = new Thread[1];
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jcr-tracer-" + COUNTER.incrementAndGet());
            t.setDaemon(true);
            holder[0] = t;
            return t;
        });
        try {
            // start the thread now, so that thread identity is known before the first request
            executor.submit(() -> { }).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        this.thread = holder[0];
    }

    /** A new tracer with its own thread. */
    public static Tracer start() {
        return new Tracer(Path.of("/proc"));
    }

    /** The kernel thread id of the tracer thread: what /proc/TID/status shows as TracerPid of our tracees. */
    public int threadId() {
        return call(Linux::gettid);
    }

    /** True on the tracer's own thread, where ptrace requests may be made directly. */
    public boolean isTracerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs WORK on the tracer thread and returns its result; exceptions thrown by WORK come out here
     * unchanged. Runs inline when already on the tracer thread. The wait cannot be interrupted: a
     * ptrace conversation half done must finish.
     */
    public <T> T call(Callable<T> work) {
        if (isTracerThread()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (closed) {
            throw new IllegalStateException("tracer is closed");
        }
        Future<T> f = executor.submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException) {
                        throw (RuntimeException) c;
                    }
                    if (c instanceof Error) {
                        throw (Error) c;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs WORK on the tracer thread (see {@link #call}). */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    // ---------------------------------------------------------------- seizing and detaching

    /**
     * Freezes the tree rooted at PID: every thread of every process, repeating until no new thread or
     * child appears. On failure everything seized so far is detached again before the error is thrown.
     *
     * @throws NoSuchProcessException if PID does not exist
     * @throws AlreadyTracedException if a task is traced by someone else
     */
    public FrozenTree seizeTree(int pid) {
        return call(() -> new TreeSeizer(this, proc).seize(pid));
    }

    /** Seizes and interrupts one thread (any thread id); returns it stopped. */
    public TracedTask seizeTask(int tid) {
        return seizeTask(tid, BASE_OPTIONS);
    }

    /**
     * Same, with ptrace OPTIONS (PTRACE_O_* of {@link Linux}; PTRACE_O_TRACESYSGOOD is always added).
     * Children auto-attached through TRACECLONE/TRACEFORK inherit them.
     */
    public TracedTask seizeTask(int tid, long options) {
        return call(() -> {
            int tgid = proc.tgid(tid);
            if (tgid < 0) {
                throw new NoSuchProcessException(tid);
            }
            TracedTask t = attach(tid, tgid, options | BASE_OPTIONS);
            if (t == null || !awaitFreezeStop(t)) {
                throw new NoSuchProcessException(tid);
            }
            return t;
        });
    }

    /** The tasks traced now, in seizing order. */
    public List<TracedTask> tasks() {
        return call(() -> new ArrayList<>(tasks.values()));
    }

    /** The traced task TID; fails if it is not traced by this tracer. */
    public TracedTask task(int tid) {
        return call(() -> require(tid));
    }

    /** Lets TID go: held-back signals are queued again, then PTRACE_DETACH. A vanished task is forgotten. */
    public void detach(int tid) {
        run(() -> {
            TracedTask t = tasks.remove(tid);
            if (t != null && !release(t)) {
                settle(List.of(t), true);
            }
        });
    }

    /**
     * Lets TID go straight into syscall NR with ARGS (its {@code syscall} instruction in the vDSO, its
     * other registers as they are): for calls it makes once and never returns from, such as a restored
     * zombie's exit_group. The task is detached, so the call runs untraced (its exit is its parent's
     * business, not the tracer's).
     */
    public void releaseIntoSyscall(int tid, int nr, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most 6 syscall arguments");
        }
        run(() -> {
            TracedTask t = require(tid);
            long[] r = Linux.ptraceGetRegs(tid);
            r[GpRegs.AX] = nr;
            int[] slots = {GpRegs.DI, GpRegs.SI, GpRegs.DX, GpRegs.R10, GpRegs.R8, GpRegs.R9};
            for (int i = 0; i < args.length; i++) {
                r[slots[i]] = args[i];
            }
            r[GpRegs.IP] = syscallSite(t.tgid());
            r[GpRegs.ORIG_AX] = -1;
            Linux.ptraceSetRegs(tid, r);
            tasks.remove(tid);
            if (!release(t)) {
                settle(List.of(t), true);
            }
        });
    }

    /** Stops tracking TID without detaching it (a helper thread jcr ends itself); returns what was known. */
    TracedTask forget(int tid) {
        checkThread();
        return tasks.remove(tid);
    }

    /**
     * Detaches every traced task. A task that is not in a trace stop any more (typically: SIGKILLed while
     * frozen, as {@code jcr dump --kill} does) cannot be detached; those are waited for together, without
     * blocking on any single one: a killed process's other threads stay zombies until their tracer reaps
     * them, and its leader is not reported before they are gone, so waiting for the leader first would
     * wait forever.
     */
    public void detachAll() {
        run(() -> {
            List<TracedTask> all = new ArrayList<>(tasks.values());
            tasks.clear();
            syscallSites.clear();
            JcrException first = null;
            List<TracedTask> notStopped = new ArrayList<>();
            for (TracedTask t : all) {
                try {
                    if (!release(t)) {
                        notStopped.add(t);
                    }
                } catch (JcrException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            settle(notStopped, true);
            if (first != null) {
                throw first;
            }
        });
    }

    /** Changes the ptrace options of TID (e.g. drop PTRACE_O_EXITKILL before letting a restored task go). */
    public void setOptions(int tid, long options) {
        run(() -> Linux.ptraceSetOptions(require(tid).tid(), options | BASE_OPTIONS));
    }

    /**
     * Kills process TGID (SIGKILL) and forgets its traced threads once the kernel reported their end.
     * Used to take away seeds and half-made processes; the process's parent still has to reap it.
     */
    public void kill(int tgid) {
        run(() -> {
            try {
                Linux.kill(tgid, 9);
            } catch (SyscallException e) {
                if (!e.isGone()) {
                    throw e;
                }
            }
            List<TracedTask> mine = new ArrayList<>();
            for (TracedTask t : tasks.values()) {
                if (t.tgid() == tgid) {
                    mine.add(t);
                }
            }
            for (TracedTask t : mine) {
                tasks.remove(t.tid());
            }
            // all threads at once: the leader is reported only after the other threads are reaped
            settle(mine, false);
            syscallSites.remove(tgid);
        });
    }

    /** Detaches everything and stops the tracer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            detachAll();
        } finally {
            closed = true;
            executor.shutdown();
        }
    }

    // ---------------------------------------------------------------- registers and signals

    public GpRegs gpRegs(int tid) {
        return call(() -> GpRegs.fromArray(Linux.ptraceGetRegs(require(tid).tid())));
    }

    public void setGpRegs(int tid, GpRegs regs) {
        run(() -> Linux.ptraceSetRegs(require(tid).tid(), regs.toArray()));
    }

    /** The full FPU/SSE/AVX state (NT_X86_XSTATE, or the FXSAVE area where the CPU has no XSAVE). */
    public FpuState fpuState(int tid) {
        return call(() -> FpuState.read(require(tid).tid()));
    }

    /** Writes FPU state; the xsave image is laid out at the size this kernel expects. */
    public void setFpuState(int tid, FpuState state) {
        run(() -> state.write(require(tid).tid()));
    }

    /** The blocked-signal mask: bit N-1 set means signal N is blocked. */
    public long sigmask(int tid) {
        return call(() -> Linux.ptraceGetSigmask(require(tid).tid()));
    }

    public void setSigmask(int tid, long mask) {
        run(() -> Linux.ptraceSetSigmask(require(tid).tid(), mask));
    }

    /** Signals queued for this thread alone, not dequeued. */
    public List<SigInfo> pendingSignals(int tid) {
        return call(() -> SigInfo.all(Linux.ptracePeekSiginfo(require(tid).tid(), false)));
    }

    /** Signals queued for the whole process (any thread may take them), not dequeued. */
    public List<SigInfo> sharedPendingSignals(int tid) {
        return call(() -> SigInfo.all(Linux.ptracePeekSiginfo(require(tid).tid(), true)));
    }

    /** The thread's rseq registration (address 0 when it has none). */
    public RseqConfiguration rseq(int tid) {
        return call(() -> Linux.ptraceGetRseqConfiguration(require(tid).tid()));
    }

    /**
     * Opens a remote-execution session on stopped task TID: syscalls run inside it until the session
     * is closed, which puts registers back (and any scratch memory away).
     */
    public RemoteSyscalls remote(int tid) {
        return call(() -> new RemoteSyscalls(this, require(tid), syscallSite(require(tid).tgid())));
    }

    // ---------------------------------------------------------------- internals (tracer thread only)

    ProcFiles proc() {
        return proc;
    }

    void checkThread() {
        if (!isTracerThread()) {
            throw new IllegalStateException("ptrace request outside the tracer thread");
        }
    }

    TracedTask require(int tid) {
        TracedTask t = tasks.get(tid);
        if (t == null) {
            throw new TraceException(tid, "not traced by this tracer");
        }
        return t;
    }

    boolean isTraced(int tid) {
        return tasks.containsKey(tid);
    }

    /**
     * PTRACE_SEIZE + PTRACE_INTERRUPT of one thread; returns null if it vanished (ESRCH) or is a
     * zombie. EPERM becomes {@link AlreadyTracedException} when another tracer holds it.
     */
    TracedTask attach(int tid, int tgid, long options) {
        checkThread();
        if (tid == Linux.getpid() || tgid == Linux.getpid()) {
            throw new TraceException(tid, "jcr cannot trace itself");
        }
        try {
            Linux.ptraceSeize(tid, options);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESRCH) {
                return null;
            }
            if (e.errno() == Errno.EPERM) {
                int tracer = proc.tracerPid(tid);
                if (tracer != 0) {
                    // TracerPid is the tracing thread; name its process
                    int tracerProcess = proc.tgid(tracer) > 0 ? proc.tgid(tracer) : tracer;
                    throw new AlreadyTracedException(tid, tracerProcess, proc.comm(tracerProcess));
                }
                char state = proc.state(tgid, tid);
                if (state == 'Z' || state == 'X') {
                    return null;
                }
            }
            throw e;
        }
        TracedTask t = new TracedTask(tid, tgid, StopKind.INTERRUPT);
        tasks.put(tid, t);
        try {
            Linux.ptraceInterrupt(tid);
        } catch (SyscallException e) {
            if (!e.isGone()) {
                throw e;
            }
        }
        return t;
    }

    /** Registers a task the kernel attached for us (a traced clone/fork's child) and waits for its first stop. */
    TracedTask adoptChild(int tid) {
        checkThread();
        TracedTask t = tasks.get(tid);
        if (t != null) {
            return t;
        }
        int tgid = proc.tgid(tid);
        t = new TracedTask(tid, tgid < 0 ? tid : tgid, StopKind.NEW_CHILD);
        tasks.put(tid, t);
        while (true) {
            WaitStatus st = Linux.waitpid(tid, Linux.WALL);
            if (st.gone()) {
                tasks.remove(tid);
                throw new TraceException(tid, "new child ended before its first stop: " + st);
            }
            if (st.eventStop()) {
                return t;
            }
            // a signal before the first stop: keep it for later
            t.deferSignal(Linux.ptraceGetSiginfo(tid));
            Linux.ptraceCont(tid, 0);
        }
    }

    /**
     * Waits for the stop that the freeze asked for. A signal-delivery stop on the way is let through
     * (the task handles the signal as it would have, then traps at the still pending interrupt): this
     * is how CRIU keeps signals that race with freezing. Returns false if the task went away.
     */
    boolean awaitFreezeStop(TracedTask t) {
        checkThread();
        int tid = t.tid();
        long deadline = System.nanoTime() + 10_000_000_000L;
        int spins = 0;
        while (true) {
            WaitStatus st = Linux.waitpid(tid, Linux.WALL | Linux.WNOHANG);
            if (st.pid() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new TraceException(tid, "did not stop within 10 s (uninterruptible sleep or vfork?)");
                }
                if (++spins < 200) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(spins < 2000 ? 20_000 : 1_000_000);
                }
                continue;
            }
            if (st.gone()) {
                tasks.remove(tid);
                return false;
            }
            if (st.eventStop()) {
                int sig = st.stopSignal();
                if (sig == WaitStatus.SIGTRAP) {
                    t.stop(StopKind.INTERRUPT);
                } else {
                    t.stop(StopKind.GROUP_STOP);
                    t.groupStopSignal(sig);
                }
                return true;
            }
            if (st.event() != 0 || st.syscallStop()) {
                // not expected while freezing (no such options are set); let it go on to the interrupt
                Linux.ptraceCont(tid, 0);
                continue;
            }
            // signal-delivery stop: deliver it now, the interrupt trap follows
            try {
                Linux.ptraceCont(tid, st.stopSignal());
            } catch (SyscallException e) {
                if (!e.isGone()) {
                    throw e;
                }
            }
        }
    }

    /** Brings a task that a remote session left in a syscall stop back into an interrupt stop. */
    void reinterrupt(TracedTask t) {
        checkThread();
        int tid = t.tid();
        Linux.ptraceInterrupt(tid);
        Linux.ptraceCont(tid, 0);
        while (true) {
            WaitStatus st = Linux.waitpid(tid, Linux.WALL);
            if (st.gone()) {
                tasks.remove(tid);
                throw new TraceException(tid, "exited while being put back: " + st);
            }
            if (st.eventStop()) {
                // our interrupt; in a group-stopped process the kernel reports it with the stop signal
                t.stop(st.stopSignal() == WaitStatus.SIGTRAP ? StopKind.INTERRUPT : StopKind.GROUP_STOP);
                return;
            }
            if (st.event() != 0 || st.syscallStop()) {
                Linux.ptraceCont(tid, 0);
                continue;
            }
            t.deferSignal(Linux.ptraceGetSiginfo(tid));
            Linux.ptraceCont(tid, 0);
        }
    }

    /** Address of a {@code syscall} instruction in TGID (inside its vDSO), cached per process. */
    long syscallSite(int tgid) {
        Long site = syscallSites.get(tgid);
        if (site == null) {
            site = SyscallSite.findInVdso(proc, tgid);
            syscallSites.put(tgid, site);
        }
        return site;
    }

    void syscallSiteMoved(int tgid, long site) {
        syscallSites.put(tgid, site);
    }

    void forgetProcess(int tgid) {
        syscallSites.remove(tgid);
    }

    /**
     * Re-queues T's held-back signals and detaches it; false when it is in no trace stop (PTRACE_DETACH
     * says ESRCH: it is dying or gone, or rarely was never seen stopped) and still has to be settled.
     */
    private boolean release(TracedTask t) {
        int tid = t.tid();
        for (byte[] info : t.takeDeferredSignals()) {
            SigInfo si = SigInfo.parse(info);
            try {
                if (si.code() < 0 && si.code() != SigInfo.SI_TKILL) {
                    Linux.rtTgsigqueueinfo(t.tgid(), tid, si.signo(), info);
                } else {
                    Linux.tgkill(t.tgid(), tid, si.signo());
                }
            } catch (SyscallException e) {
                if (!e.isGone()) {
                    throw e;
                }
            }
        }
        try {
            Linux.ptraceDetach(tid, 0);
            return true;
        } catch (SyscallException e) {
            if (!e.isGone()) {
                throw e;
            }
            return false;
        }
    }

    /**
     * Waits for TASKS (no longer in a trace stop) until each has ended and been reaped by us, or, when
     * DETACH is set and one stops after all, lets it go with PTRACE_DETACH (delivering the signal it
     * stopped for). Polls every task without blocking on any. Gives up after {@link #SETTLE_NANOS}: a
     * task still attached then is detached by the kernel when the tracer thread ends.
     */
    private void settle(List<TracedTask> tasks, boolean detach) {
        List<TracedTask> left = new ArrayList<>(tasks);
        java.util.Set<Integer> interrupted = new java.util.HashSet<>();
        long deadline = System.nanoTime() + SETTLE_NANOS;
        int spins = 0;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            for (java.util.Iterator<TracedTask> it = left.iterator(); it.hasNext(); ) {
                int tid = it.next().tid();
                WaitStatus st;
                try {
                    st = Linux.waitpid(tid, Linux.WALL | Linux.WNOHANG);
                } catch (SyscallException e) {
                    it.remove(); // ECHILD: reaped already, or no longer ours
                    continue;
                }
                if (st.pid() == 0) {
                    if (detach && interrupted.add(tid)) {
                        // alive and running without a stop we know of: ask for one (harmless on a dying task)
                        try {
                            Linux.ptraceInterrupt(tid);
                        } catch (SyscallException e) {
                            // dying or gone: the wait reports it
                        }
                    }
                    continue;
                }
                if (st.gone()) {
                    it.remove();
                    continue;
                }
                int sig = st.eventStop() || st.syscallStop() || st.event() != 0 ? 0 : st.stopSignal();
                try {
                    if (detach) {
                        Linux.ptraceDetach(tid, sig);
                    } else {
                        Linux.ptraceCont(tid, sig); // a last stop on the way out (e.g. PTRACE_EVENT_EXIT)
                        continue;
                    }
                } catch (SyscallException e) {
                    continue; // killed meanwhile: the wait reports its end
                }
                it.remove();
            }
            if (!left.isEmpty()) {
                LockSupport.parkNanos(++spins < 100 ? 100_000 : 2_000_000);
            }
        }
    }

    Collection<TracedTask> liveTasks() {
        return tasks.values();
    }
}
