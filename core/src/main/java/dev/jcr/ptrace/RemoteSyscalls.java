package dev.jcr.ptrace;

import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.WaitStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes syscalls inside one stopped task, as if it had made them itself. How: save its registers,
 * point rip at a {@code syscall} instruction in its vDSO, put the number and arguments in rax, rdi,
 * rsi, rdx, r10, r8, r9 with orig_rax = -1 (so the kernel does not "restart" anything on resume),
 * PTRACE_SYSCALL to the syscall-enter stop and again to the exit stop, read rax. Nothing is written
 * into the target's code. {@link #close()} unmaps the scratch page if one was used, restores the
 * registers, and steers the task from the syscall-exit stop back into an interrupt stop, from where
 * an originally interrupted syscall restarts normally when the task resumes.
 *
 * <p>Signals that arrive meanwhile are held back (handlers must not run on borrowed registers) and
 * queued again when the task is detached. Children created by a remote clone/fork while the task has
 * PTRACE_O_TRACECLONE/TRACEFORK set (see {@link SeedProcess}) are adopted by the tracer, stopped.
 *
 * <p>All methods may be called from any thread; they run on the tracer's thread.
 */
public final class RemoteSyscalls implements AutoCloseable {

    // x86_64 syscall numbers used by the helpers
    public static final int SYS_MMAP = 9;
    public static final int SYS_MPROTECT = 10;
    public static final int SYS_MUNMAP = 11;
    public static final int SYS_RT_SIGACTION = 13;
    public static final int SYS_GETITIMER = 36;
    public static final int SYS_GETPID = 39;
    public static final int SYS_SIGALTSTACK = 131;
    public static final int SYS_GETPRIORITY = 140;
    public static final int SYS_SCHED_GETPARAM = 143;
    public static final int SYS_SCHED_GETSCHEDULER = 145;
    public static final int SYS_PRCTL = 157;
    public static final int SYS_GETTID = 186;
    public static final int SYS_TIMER_GETTIME = 224;
    public static final int SYS_TIMER_GETOVERRUN = 225;
    public static final int SYS_RSEQ = 334;
    public static final int SYS_CLONE3 = 435;

    public static final int PR_GET_TID_ADDRESS = 40;
    public static final int PAGE = 4096;

    private final Tracer tracer;
    private final TracedTask task;
    private long site;
    private final GpRegs saved;
    private final List<Integer> adopted = new ArrayList<>();
    private long scratch;
    private int scratchSize;
    private boolean ran;
    private boolean closed;

    RemoteSyscalls(Tracer tracer, TracedTask task, long site) {
        tracer.checkThread();
        if (task.stop() == StopKind.SYSCALL) {
            throw new TraceException(task.tid(), "already driven by another remote session");
        }
        this.tracer = tracer;
        this.task = task;
        this.site = site;
        this.saved = GpRegs.fromArray(Linux.ptraceGetRegs(task.tid()));
    }

    /** The task this session drives. */
    public int tid() {
        return task.tid();
    }

    /** The registers the task had when the session opened (they are put back on close). */
    public GpRegs savedRegs() {
        return saved;
    }

    /**
     * Tells the session that the target's vDSO was moved by DELTA bytes (a restore mremaps it to
     * where the dump had it): later syscalls execute from the instruction's new address.
     */
    public void vdsoMoved(long delta) {
        tracer.run(() -> {
            site += delta;
            tracer.syscallSiteMoved(task.tgid(), site);
        });
    }

    /** Where the syscall instruction used lives (in the vDSO). */
    public long syscallSite() {
        return site;
    }

    /**
     * Executes syscall NR with up to six ARGS; returns the raw rax: a negative value in -4095..-1 is
     * -errno, as the kernel returns it.
     */
    public long syscall(int nr, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most 6 syscall arguments");
        }
        return tracer.call(() -> execute(nr, args));
    }

    /** Like {@link #syscall} but throws {@link RemoteSyscallException} (naming NAME) on an error return. */
    public long check(String name, int nr, long... args) {
        long r = syscall(nr, args);
        if (r < 0 && r >= -4095) {
            throw new RemoteSyscallException(name, task.tid(), (int) -r);
        }
        return r;
    }

    private long execute(int nr, long[] args) {
        if (closed) {
            throw new IllegalStateException("remote session of task " + task.tid() + " is closed");
        }
        int tid = task.tid();
        long[] r = saved.toArray();
        r[GpRegs.AX] = nr;
        int[] slots = {GpRegs.DI, GpRegs.SI, GpRegs.DX, GpRegs.R10, GpRegs.R8, GpRegs.R9};
        for (int i = 0; i < args.length; i++) {
            r[slots[i]] = args[i];
        }
        r[GpRegs.IP] = site;
        r[GpRegs.ORIG_AX] = -1;
        Linux.ptraceSetRegs(tid, r);
        ran = true;
        task.stop(StopKind.SYSCALL);
        resumeToSyscallStop(); // entry
        resumeToSyscallStop(); // exit
        return Linux.ptraceGetRegs(tid)[GpRegs.AX];
    }

    private void resumeToSyscallStop() {
        int tid = task.tid();
        Linux.ptraceSyscall(tid, 0);
        while (true) {
            WaitStatus st = Linux.waitpid(tid, Linux.WALL);
            if (st.gone()) {
                closed = true;
                throw new TraceException(tid, "ended during a remote syscall: " + st);
            }
            if (st.syscallStop()) {
                return;
            }
            int ev = st.event();
            if (ev == Linux.PTRACE_EVENT_CLONE || ev == Linux.PTRACE_EVENT_FORK || ev == Linux.PTRACE_EVENT_VFORK) {
                adopted.add((int) Linux.ptraceGetEventMsg(tid));
            } else if (ev == 0) {
                byte[] info = Linux.ptraceGetSiginfo(tid);
                SigInfo si = SigInfo.parse(info);
                if (si.code() > 0 && isFault(si.signo())) {
                    // our own execution faulted (e.g. rseq area unmapped): retrying would fault forever
                    throw new TraceException(tid, "remote syscall faulted with signal " + si.signo()
                            + " (code " + si.code() + ")");
                }
                // a signal arrived: hold it back, it is queued again at detach
                task.deferSignal(info);
            }
            Linux.ptraceSyscall(tid, 0);
        }
    }

    private static boolean isFault(int sig) {
        return sig == 4 || sig == 5 || sig == 7 || sig == 8 || sig == 11; // ILL TRAP BUS FPE SEGV
    }

    /**
     * Tids of children that remote clone/fork calls created in this session; each is traced by the
     * tracer and sits in its first stop (see {@link StopKind#NEW_CHILD}).
     */
    public List<Integer> newChildren() {
        return tracer.call(() -> {
            for (int child : adopted) {
                tracer.adoptChild(child);
            }
            return List.copyOf(adopted);
        });
    }

    // ---------------------------------------------------------------- memory of the target

    /**
     * A private anonymous read-write area of at least SIZE bytes inside the target, mapped on first
     * use and unmapped on close. Remote calls that take pointers use it for their arguments.
     */
    public long scratch(int size) {
        return tracer.call(() -> {
            if (scratch != 0 && scratchSize >= size) {
                return scratch;
            }
            if (scratch != 0) {
                check("munmap", SYS_MUNMAP, scratch, scratchSize);
                scratch = 0;
            }
            int len = (size + PAGE - 1) / PAGE * PAGE;
            scratch = mmap(0, len, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
            scratchSize = len;
            return scratch;
        });
    }

    public byte[] read(long addr, int len) {
        return Linux.readMemory(task.tgid(), addr, len);
    }

    public void write(long addr, byte[] data) {
        Linux.writeMemory(task.tgid(), addr, data);
    }

    // ---------------------------------------------------------------- helpers

    public long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        return check("mmap", SYS_MMAP, addr, len, prot, flags, fd, off);
    }

    public void munmap(long addr, long len) {
        check("munmap", SYS_MUNMAP, addr, len);
    }

    public void mprotect(long addr, long len, int prot) {
        check("mprotect", SYS_MPROTECT, addr, len, prot);
    }

    /** getpid() as the target sees it (its pid in its own pid namespace). */
    public int getpid() {
        return (int) check("getpid", SYS_GETPID);
    }

    public int gettid() {
        return (int) check("gettid", SYS_GETTID);
    }

    /** The disposition of signal SIG (rt_sigaction with a NULL new action). */
    public SigAction sigaction(int sig) {
        long buf = scratch(PAGE);
        check("rt_sigaction(" + sig + ")", SYS_RT_SIGACTION, sig, 0, buf, 8);
        ByteBuffer b = le(read(buf, 32));
        return new SigAction(sig, b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24));
    }

    /** Dispositions of signals 1..64 except SIGKILL and SIGSTOP, which cannot have one. */
    public List<SigAction> sigactions() {
        List<SigAction> out = new ArrayList<>();
        for (int sig = 1; sig <= 64; sig++) {
            if (sig != 9 && sig != 19) {
                out.add(sigaction(sig));
            }
        }
        return out;
    }

    /** Installs ACTION for its signal (restore side). */
    public void setSigaction(SigAction action) {
        long buf = scratch(PAGE);
        ByteBuffer b = le(new byte[32]);
        b.putLong(0, action.handler()).putLong(8, action.flags()).putLong(16, action.restorer())
                .putLong(24, action.mask());
        write(buf, b.array());
        check("rt_sigaction(" + action.signal() + ")", SYS_RT_SIGACTION, action.signal(), buf, 0, 8);
    }

    /** The thread's alternate signal stack. */
    public AltStack sigaltstack() {
        long buf = scratch(PAGE);
        check("sigaltstack", SYS_SIGALTSTACK, 0, buf);
        ByteBuffer b = le(read(buf, 24));
        return new AltStack(b.getLong(0), b.getInt(8), b.getLong(16));
    }

    /** getitimer(WHICH): 0 = ITIMER_REAL, 1 = ITIMER_VIRTUAL, 2 = ITIMER_PROF. */
    public ITimer getitimer(int which) {
        long buf = scratch(PAGE);
        check("getitimer(" + which + ")", SYS_GETITIMER, which, buf);
        ByteBuffer b = le(read(buf, 32));
        return new ITimer(which, b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24));
    }

    /** The clear_child_tid address set by set_tid_address/clone (prctl PR_GET_TID_ADDRESS). */
    public long tidAddress() {
        long buf = scratch(PAGE);
        check("prctl(PR_GET_TID_ADDRESS)", SYS_PRCTL, PR_GET_TID_ADDRESS, buf, 0, 0, 0);
        return le(read(buf, 8)).getLong(0);
    }

    /** prctl(OPTION, …) in the target; returns its result. */
    public long prctl(int option, long a2, long a3, long a4, long a5) {
        return check("prctl(" + option + ")", SYS_PRCTL, option, a2, a3, a4, a5);
    }

    /** The thread's nice value (-20..19); the raw syscall returns 20 - nice. */
    public int nice() {
        return 20 - (int) check("getpriority", SYS_GETPRIORITY, 0 /* PRIO_PROCESS */, 0);
    }

    /** sched_getscheduler(0): SCHED_OTHER 0, FIFO 1, RR 2, BATCH 3, IDLE 5 (| SCHED_RESET_ON_FORK). */
    public int schedPolicy() {
        return (int) check("sched_getscheduler", SYS_SCHED_GETSCHEDULER, 0);
    }

    /** sched_getparam(0).sched_priority: the real-time priority (0 for normal policies). */
    public int schedPriority() {
        long buf = scratch(PAGE);
        check("sched_getparam", SYS_SCHED_GETPARAM, 0, buf);
        return le(read(buf, 4)).getInt(0);
    }

    /** timer_gettime and timer_getoverrun of POSIX timer ID (ids from /proc/PID/timers). */
    public PosixTimerState timerGettime(int id) {
        long buf = scratch(PAGE);
        check("timer_gettime(" + id + ")", SYS_TIMER_GETTIME, id, buf);
        ByteBuffer b = le(read(buf, 32));
        int overrun = (int) check("timer_getoverrun(" + id + ")", SYS_TIMER_GETOVERRUN, id);
        return new PosixTimerState(id, b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), overrun);
    }

    /**
     * clone3 in the target with FLAGS and EXIT_SIGNAL, asking for the given pid (per pid-namespace
     * level, innermost first) via set_tid, e.g. {@code clone3(0, 17, 4242)} forks a child whose pid is
     * 4242 (needs CAP_CHECKPOINT_RESTORE). Returns the child's pid as the target sees it. With
     * PTRACE_O_TRACEFORK/CLONE set on the task the child is traced and stopped: see {@link #newChildren()}.
     */
    public int clone3(long flags, int exitSignal, int... setTid) {
        long buf = scratch(PAGE);
        ByteBuffer a = le(new byte[88 + 8 * setTid.length]);
        long tidArray = buf + 88;
        a.putLong(0, flags).putLong(32, exitSignal);
        if (setTid.length > 0) {
            a.putLong(64, tidArray).putLong(72, setTid.length);
            for (int i = 0; i < setTid.length; i++) {
                a.putInt(88 + 4 * i, setTid[i]);
            }
        }
        write(buf, a.array());
        return (int) check("clone3", SYS_CLONE3, buf, 88);
    }

    /**
     * Drops the task's rseq registration (glibc registers one per thread). Needed before unmapping
     * the memory that holds it: the kernel writes there on every return to user space and would
     * otherwise kill the task with SIGSEGV.
     */
    public void unregisterRseq() {
        tracer.run(() -> {
            dev.jcr.sys.RseqConfiguration c = Linux.ptraceGetRseqConfiguration(task.tid());
            if (c.registered()) {
                check("rseq(unregister)", SYS_RSEQ, c.rseqAbiPointer(), c.rseqAbiSize(), 1 /* UNREGISTER */,
                        c.signature());
            }
        });
    }

    /** Registers struct rseq at ADDR (LEN bytes, SIGNATURE) for the task, as a restore must. */
    public void registerRseq(long addr, long len, long signature) {
        check("rseq", SYS_RSEQ, addr, len, 0, signature);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Unmaps the scratch page, puts the saved registers back and returns the task to an interrupt
     * stop. After this the task is exactly as the session found it.
     */
    @Override
    public void close() {
        tracer.run(() -> {
            if (closed) {
                return;
            }
            try {
                if (scratch != 0) {
                    long s = scratch;
                    scratch = 0;
                    execute(SYS_MUNMAP, new long[] {s, scratchSize});
                }
            } finally {
                closed = true;
                if (ran) {
                    try {
                        Linux.ptraceSetRegs(task.tid(), saved.toArray());
                        tracer.reinterrupt(task);
                    } catch (SyscallException e) {
                        if (!e.isGone()) {
                            throw e;
                        }
                    }
                }
            }
        });
    }
}
