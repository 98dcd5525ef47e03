package dev.jcr.ptrace;

import dev.jcr.fault.Faults;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.WaitStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes syscalls inside one stopped task, as if it had made them itself, in one of two ways.
 *
 * <p><b>Guarded</b> (every task of a process jcr must not harm: dump, check, tests): the task never
 * holds a register state that would hurt it if jcr died that instant. Opening writes a
 * {@link RescueFrame} below its stack pointer, points its instruction pointer at an rt_sigreturn
 * trampoline that its own C library has ({@code mov $15,%eax; syscall}, found by
 * {@link SyscallSite#findSigreturnTrampoline}) with the stack pointer on the frame, and blocks every
 * signal (PTRACE_SETSIGMASK). A syscall is made by letting the task run the trampoline to its
 * syscall-entry stop and replacing the number there (orig_ax) and the arguments, with the return
 * address set back to the trampoline; PTRACE_SYSCALL again to the exit stop; read rax. So whenever jcr
 * could die — before, during or after a call — the kernel detaches a task whose next instruction
 * returns it to itself through rt_sigreturn: registers, signal mask and FPU state from the frame
 * (docs/ptrace.md walks through every stop). Signals are not held back by jcr: blocked, they stay
 * queued in the kernel, and nothing is lost whoever ends the session. Closing steers the task into an
 * interrupt stop (PTRACE_INTERRUPT + PTRACE_CONT, still on the trampoline), then puts its own mask and
 * registers back, from where an interrupted syscall of its own restarts exactly as the kernel would
 * have done. No scratch mapping is made: arguments and results live below the frame.
 *
 * <p><b>Plain</b> (tasks that die with jcr anyway, PTRACE_O_EXITKILL: the seed and the processes a
 * restore builds, which unmap even their C library): rip on a {@code syscall} instruction of the vDSO,
 * rax = nr, orig_ax = -1, PTRACE_SYSCALL to the entry and exit stops; close puts the registers back.
 *
 * <p>A third use is the page drain's helper thread ({@link PipeDrain}): guarded by its own exit path,
 * its "trampoline" ends the thread (see {@link #forHelper}).
 *
 * <p>Children created by a remote clone/fork while the task has PTRACE_O_TRACECLONE/TRACEFORK set
 * are adopted by the tracer, stopped. All methods may be called from any thread; they run on the
 * tracer's thread.
 */
public final class RemoteSyscalls implements AutoCloseable {

    // x86_64 syscall numbers used by the helpers
    public static final int SYS_MMAP = 9;
    public static final int SYS_MPROTECT = 10;
    public static final int SYS_MUNMAP = 11;
    public static final int SYS_RT_SIGACTION = 13;
    public static final int SYS_RT_SIGRETURN = 15;
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

    /** How the session keeps the task safe (see the class comment). */
    private enum Mode { GUARDED, HELPER, PLAIN }

    private final Tracer tracer;
    private final TracedTask task;
    private final Mode mode;
    /** PLAIN: the vDSO's syscall instruction. GUARDED/HELPER: the trampoline the task rests on. */
    private long site;
    private final GpRegs saved;
    /** GUARDED: the task's own signal mask, put back on close. */
    private final long savedMask;
    /** GUARDED: where the rescue frame is; the stack pointer while the session is open. */
    private final RescueFrame frame;
    /** GUARDED: the lowest address of the stack mapping (scratch space must stay above it). */
    private final long stackFloor;
    private final List<Integer> adopted = new ArrayList<>();
    private long scratch;
    private int scratchSize;
    private boolean ran;
    /** GUARDED/HELPER: the task sits at a syscall-entry stop (a close must cancel that call). */
    private boolean atEntry;
    private boolean closed;

    /** A session on TASK: guarded unless the task dies with jcr anyway (then plain, from vDSO SITE). */
    RemoteSyscalls(Tracer tracer, TracedTask task, long site) {
        this(tracer, task, task.expendable() ? Mode.PLAIN : Mode.GUARDED, site);
    }

    private RemoteSyscalls(Tracer tracer, TracedTask task, Mode mode, long site) {
        tracer.checkThread();
        if (task.session() != null) {
            throw new TraceException(task.tid(), "already driven by another remote session");
        }
        this.tracer = tracer;
        this.task = task;
        this.mode = mode;
        int tid = task.tid();
        this.saved = GpRegs.fromArray(Linux.ptraceGetRegs(tid));
        if (mode == Mode.GUARDED) {
            this.site = tracer.sigreturnTrampoline(task.tgid());
            this.savedMask = Linux.ptraceGetSigmask(tid);
            this.frame = RescueFrame.of(saved, savedMask, FpuState.read(tid));
            this.stackFloor = stackFloor(tracer, task, saved, frame);
            // order matters: the frame exists before the registers point at it, and the registers
            // point at the trampoline before the mask is changed (rt_sigreturn puts the mask back too)
            Linux.writeMemory(task.tgid(), frame.low, frame.bytes);
            Linux.ptraceSetRegs(tid, parked(saved, frame.uc).toArray());
            task.session(this);
            ran = true;
            Linux.ptraceSetSigmask(tid, -1L);
            Faults.hit(Faults.REMOTE_OPEN);
        } else if (mode == Mode.HELPER) {
            this.site = site;
            this.savedMask = 0;
            this.frame = null;
            this.stackFloor = 0;
            Linux.ptraceSetRegs(tid, parked(saved, saved.sp()).toArray());
            task.session(this);
            ran = true;
        } else {
            this.site = site;
            this.savedMask = 0;
            this.frame = null;
            this.stackFloor = 0;
            task.session(this);
        }
    }

    /**
     * A session on a helper thread jcr created inside a target (the page drain's): its trampoline is
     * EXIT_PATH, code that ends the thread, so that the helper ends itself whenever jcr lets go of it
     * (or dies). Closing leaves it parked there.
     */
    static RemoteSyscalls forHelper(Tracer tracer, TracedTask helper, long exitPath) {
        return new RemoteSyscalls(tracer, helper, Mode.HELPER, exitPath);
    }

    /** Registers R parked on the trampoline with the stack pointer at SP and no syscall to restart. */
    private GpRegs parked(GpRegs r, long sp) {
        long[] a = r.toArray();
        a[GpRegs.IP] = site;
        a[GpRegs.SP] = sp;
        a[GpRegs.ORIG_AX] = -1;
        return GpRegs.fromArray(a);
    }

    /**
     * The start of the writable mapping that holds the frame, checked to leave at least a page of
     * scratch space under it: a thread whose stack has no such room is refused before anything of it
     * changes (growing a stack from outside is not possible: ptrace/process_vm_writev never expand it).
     */
    private static long stackFloor(Tracer tracer, TracedTask task, GpRegs own, RescueFrame frame) {
        long top = own.sp() - RescueFrame.RED_ZONE - 1;
        long[] m = tracer.proc().mappingContaining(task.tgid(), top).orElse(null);
        if (m == null || m[2] == 0 || Long.compareUnsigned(frame.low - PAGE, m[0]) < 0
                || Long.compareUnsigned(frame.low - PAGE, frame.low) > 0) {
            throw new TraceException(task.tid(), String.format("has no room on its stack below sp 0x%x for the"
                    + " rescue frame of a crash-safe remote call: not driven", own.sp()));
        }
        return m[0];
    }

    /** The task this session drives. */
    public int tid() {
        return task.tid();
    }

    /** The registers the task had when the session opened (they are put back on close). */
    public GpRegs savedRegs() {
        return saved;
    }

    /** The signal mask the task had when the session opened (guarded sessions block all meanwhile). */
    long savedMask() {
        return mode == Mode.GUARDED ? savedMask : Linux.ptraceGetSigmask(task.tid());
    }

    /** True for a guarded session (the task survives jcr's death at every moment). */
    public boolean guarded() {
        return mode == Mode.GUARDED;
    }

    /**
     * Tells the session that the target's vDSO was moved by DELTA bytes (a restore mremaps it to
     * where the dump had it): later syscalls execute from the instruction's new address.
     */
    public void vdsoMoved(long delta) {
        tracer.run(() -> {
            if (mode != Mode.PLAIN) {
                throw new IllegalStateException("only a plain session executes from the vDSO");
            }
            site += delta;
            tracer.syscallSiteMoved(task.tgid(), site);
        });
    }

    /** Where the syscall instruction used lives (plain: the vDSO; otherwise the trampoline). */
    public long syscallSite() {
        return site;
    }

    /**
     * Executes syscall NR with up to six ARGS; returns the raw rax: a negative value in -4095..-1 is
     * -errno, as the kernel returns it.
     */
    public long syscall(int nr, long... args) {
        return syscallReturningTo(0, nr, args);
    }

    /**
     * Like {@link #syscall}, but the call returns to RET instead of the trampoline (0: the trampoline).
     * For clone3 of a thread: the new thread starts where its parent returns, so RET is code that sends
     * the child its way and the parent back into the trampoline (guarded sessions only).
     */
    long syscallReturningTo(long ret, int nr, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException("at most 6 syscall arguments");
        }
        return tracer.call(() -> mode == Mode.PLAIN ? executePlain(nr, args) : executeParked(ret, nr, args));
    }

    /** Like {@link #syscall} but throws {@link RemoteSyscallException} (naming NAME) on an error return. */
    public long check(String name, int nr, long... args) {
        long r = syscall(nr, args);
        if (r < 0 && r >= -4095) {
            throw new RemoteSyscallException(name, task.tid(), (int) -r);
        }
        return r;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("remote session of task " + task.tid() + " is closed");
        }
    }

    private static final int[] ARG_SLOTS = {GpRegs.DI, GpRegs.SI, GpRegs.DX, GpRegs.R10, GpRegs.R8, GpRegs.R9};

    /** A syscall of a guarded or helper session: the number goes in at the trampoline's entry stop. */
    private long executeParked(long ret, int nr, long[] args) {
        requireOpen();
        int tid = task.tid();
        task.stop(StopKind.SYSCALL);
        resumeToSyscallStop(); // the trampoline's own syscall, at its entry
        atEntry = true;
        Faults.hit(Faults.REMOTE_ENTRY);
        long[] r = Linux.ptraceGetRegs(tid);
        if (mode == Mode.GUARDED && r[GpRegs.ORIG_AX] != SYS_RT_SIGRETURN) {
            throw new TraceException(tid, "expected the trampoline's rt_sigreturn at the entry stop, found syscall "
                    + r[GpRegs.ORIG_AX]);
        }
        r[GpRegs.ORIG_AX] = nr;
        r[GpRegs.AX] = nr;
        for (int i = 0; i < args.length; i++) {
            r[ARG_SLOTS[i]] = args[i];
        }
        r[GpRegs.IP] = ret != 0 ? ret : site;
        if (mode == Mode.GUARDED) {
            r[GpRegs.SP] = frame.uc;
        }
        Linux.ptraceSetRegs(tid, r);
        Faults.syscall(nr).ifPresent(Faults::hit);
        resumeToSyscallStop(); // exit
        atEntry = false;
        long result = Linux.ptraceGetRegs(tid)[GpRegs.AX];
        Faults.hit(Faults.REMOTE_EXIT);
        return result;
    }

    private long executePlain(int nr, long[] args) {
        requireOpen();
        int tid = task.tid();
        long[] r = saved.toArray();
        r[GpRegs.AX] = nr;
        for (int i = 0; i < args.length; i++) {
            r[ARG_SLOTS[i]] = args[i];
        }
        r[GpRegs.IP] = site;
        r[GpRegs.ORIG_AX] = -1;
        Linux.ptraceSetRegs(tid, r);
        ran = true;
        task.stop(StopKind.SYSCALL);
        resumeToSyscallStop(); // entry
        Faults.syscall(nr).ifPresent(Faults::hit);
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
                task.session(null);
                throw new TraceException(tid, "ended during a remote syscall: " + st);
            }
            if (st.syscallStop()) {
                return;
            }
            int ev = st.event();
            int deliver = 0;
            if (ev == Linux.PTRACE_EVENT_CLONE || ev == Linux.PTRACE_EVENT_FORK || ev == Linux.PTRACE_EVENT_VFORK) {
                adopted.add((int) Linux.ptraceGetEventMsg(tid));
            } else if (ev == 0) {
                deliver = signalStop(tid);
            }
            Linux.ptraceSyscall(tid, deliver);
        }
    }

    /**
     * A signal-delivery stop met while driving the task; returns the signal to deliver. A fault of our
     * own execution fails the call (retrying would fault forever). A stop signal is let through: the
     * task joins the group stop, which ptrace reports and we resume from; after detach the kernel puts
     * it back into the group stop. Anything else (impossible in a guarded session, where every other
     * signal is blocked and stays queued) is held back and re-queued at detach.
     */
    private int signalStop(int tid) {
        byte[] info = Linux.ptraceGetSiginfo(tid);
        SigInfo si = SigInfo.parse(info);
        if (si.code() > 0 && isFault(si.signo())) {
            throw new TraceException(tid, "remote syscall faulted with signal " + si.signo()
                    + " (code " + si.code() + ")");
        }
        if (mode != Mode.PLAIN && (si.signo() == 19 || si.signo() == 20 || si.signo() == 21 || si.signo() == 22)) {
            return si.signo();
        }
        task.deferSignal(info);
        return 0;
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
                tracer.adoptChild(child, task.expendable());
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
            int len = (size + PAGE - 1) / PAGE * PAGE;
            if (mode != Mode.PLAIN) {
                // under the rescue frame (guarded) or the helper's stack pointer: dead memory by the ABI
                long below = mode == Mode.GUARDED ? frame.low : saved.sp() - RescueFrame.RED_ZONE;
                long at = (below - len) & ~63L;
                if (mode == Mode.GUARDED && Long.compareUnsigned(at, stackFloor) < 0) {
                    throw new TraceException(task.tid(), "no room for " + size + " bytes of scratch space on its stack");
                }
                scratch = at;
                scratchSize = len;
                return scratch;
            }
            if (scratch != 0) {
                check("munmap", SYS_MUNMAP, scratch, scratchSize);
                scratch = 0;
            }
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
     * Ends the session. Guarded: the task goes back into an interrupt stop (still on the trampoline),
     * gets its own signal mask and registers back, and is exactly as the session found it. Plain: the
     * scratch page is unmapped and the registers put back. Helper: the thread stays parked on its
     * exit path.
     */
    @Override
    public void close() {
        tracer.run(() -> {
            if (closed) {
                return;
            }
            try {
                if (mode == Mode.PLAIN && scratch != 0) {
                    long s = scratch;
                    scratch = 0;
                    executePlain(SYS_MUNMAP, new long[] {s, scratchSize});
                }
            } finally {
                closed = true;
                try {
                    if (mode == Mode.GUARDED) {
                        restoreGuarded();
                    } else if (mode == Mode.PLAIN && ran) {
                        Linux.ptraceSetRegs(task.tid(), saved.toArray());
                        tracer.reinterrupt(task);
                    }
                } catch (SyscallException e) {
                    if (!e.isGone()) {
                        throw e;
                    }
                } finally {
                    task.session(null);
                }
            }
        });
    }

    private void restoreGuarded() {
        int tid = task.tid();
        if (atEntry) {
            // a call whose number is in place but which has not run: cancel it (orig_ax -1 skips it)
            long[] r = Linux.ptraceGetRegs(tid);
            r[GpRegs.ORIG_AX] = -1;
            Linux.ptraceSetRegs(tid, r);
            atEntry = false;
        }
        if (task.stop() == StopKind.SYSCALL) {
            tracer.reinterrupt(task); // from a syscall stop into the interrupt stop, on the trampoline
        }
        Linux.ptraceSetSigmask(tid, savedMask);
        Faults.hit(Faults.REMOTE_CLOSE);
        Linux.ptraceSetRegs(tid, saved.toArray());
    }
}
