package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The facade over jcr's JNA bindings: every kernel call jcr makes goes through here, and every
 * failure comes out as a {@link SyscallException} naming the call, the pid and the errno.
 *
 * <p>Addresses in another process are plain {@code long}s. Buffers in jcr are direct
 * {@link ByteBuffer}s (their contents are read or written in place, from {@code position()}; the
 * position is not moved) or byte arrays for small payloads.
 *
 * <p>ptrace calls must come from the thread that attached (see dev.jcr.ptrace.Tracer); this class
 * does not check that, the kernel answers ESRCH otherwise.
 */
public final class Linux {

    // ptrace requests (linux/ptrace.h, asm/ptrace-abi.h)
    public static final int PTRACE_PEEKDATA = 2;
    public static final int PTRACE_POKEDATA = 5;
    public static final int PTRACE_CONT = 7;
    public static final int PTRACE_SINGLESTEP = 9;
    public static final int PTRACE_GETREGS = 12;
    public static final int PTRACE_SETREGS = 13;
    public static final int PTRACE_GETFPREGS = 14;
    public static final int PTRACE_DETACH = 17;
    public static final int PTRACE_SYSCALL = 24;
    public static final int PTRACE_SETOPTIONS = 0x4200;
    public static final int PTRACE_GETEVENTMSG = 0x4201;
    public static final int PTRACE_GETSIGINFO = 0x4202;
    public static final int PTRACE_SETSIGINFO = 0x4203;
    public static final int PTRACE_GETREGSET = 0x4204;
    public static final int PTRACE_SETREGSET = 0x4205;
    public static final int PTRACE_SEIZE = 0x4206;
    public static final int PTRACE_INTERRUPT = 0x4207;
    public static final int PTRACE_LISTEN = 0x4208;
    public static final int PTRACE_PEEKSIGINFO = 0x4209;
    public static final int PTRACE_GETSIGMASK = 0x420a;
    public static final int PTRACE_SETSIGMASK = 0x420b;
    public static final int PTRACE_GET_RSEQ_CONFIGURATION = 0x420f;

    public static final long PTRACE_O_TRACESYSGOOD = 1;
    public static final long PTRACE_O_TRACEFORK = 1 << 1;
    public static final long PTRACE_O_TRACEVFORK = 1 << 2;
    public static final long PTRACE_O_TRACECLONE = 1 << 3;
    public static final long PTRACE_O_TRACEEXEC = 1 << 4;
    public static final long PTRACE_O_EXITKILL = 1 << 20;

    public static final int PTRACE_EVENT_FORK = 1;
    public static final int PTRACE_EVENT_VFORK = 2;
    public static final int PTRACE_EVENT_CLONE = 3;
    public static final int PTRACE_EVENT_EXEC = 4;
    public static final int PTRACE_EVENT_EXIT = 6;
    public static final int PTRACE_EVENT_STOP = 128;

    /** Regset types for PTRACE_GETREGSET (elf.h NT_*). */
    public static final int NT_PRSTATUS = 1;
    public static final int NT_PRFPREG = 2;
    public static final int NT_X86_XSTATE = 0x202;

    public static final int WNOHANG = 1;
    public static final int WALL = 0x40000000;

    /** The size of a siginfo_t. */
    public static final int SIGINFO_SIZE = 128;
    /** Kernel limit on iovecs in one process_vm_readv/writev call (UIO_MAXIOV). */
    public static final int IOV_MAX = 1024;

    // syscall numbers of x86_64 used here and by remote execution helpers
    public static final int SYS_TGKILL = 234;
    public static final int SYS_RT_TGSIGQUEUEINFO = 297;
    public static final int SYS_GETTID = 186;
    public static final int SYS_PIDFD_OPEN = 434;
    public static final int SYS_PIDFD_GETFD = 438;
    public static final int SYS_IOCTL = 16;

    private static final ThreadLocal<Memory> IOV_SCRATCH = ThreadLocal.withInitial(
            () -> new Memory((long) (IOV_MAX + 1) * Iovec.SIZE));
    private static final ThreadLocal<Memory> SMALL_SCRATCH = ThreadLocal.withInitial(() -> new Memory(8192));

    private Linux() {
    }

    // ---------------------------------------------------------------- ptrace

    private static long ptrace(String name, int request, int tid, long addr, long data) {
        try {
            return PtraceLib.ptrace(request, tid, addr, data);
        } catch (LastErrorException e) {
            throw new SyscallException("ptrace(" + name + ")", tid, e.getErrorCode());
        }
    }

    /** PTRACE_SEIZE: attach without stopping; OPTIONS are PTRACE_O_* bits. */
    public static void ptraceSeize(int tid, long options) {
        ptrace("PTRACE_SEIZE", PTRACE_SEIZE, tid, 0, options);
    }

    public static void ptraceInterrupt(int tid) {
        ptrace("PTRACE_INTERRUPT", PTRACE_INTERRUPT, tid, 0, 0);
    }

    /** Detaches; SIG is delivered only if the task sits in a signal-delivery stop. */
    public static void ptraceDetach(int tid, int sig) {
        ptrace("PTRACE_DETACH", PTRACE_DETACH, tid, 0, sig);
    }

    public static void ptraceCont(int tid, int sig) {
        ptrace("PTRACE_CONT", PTRACE_CONT, tid, 0, sig);
    }

    /** Resumes until the next syscall entry or exit (or signal). */
    public static void ptraceSyscall(int tid, int sig) {
        ptrace("PTRACE_SYSCALL", PTRACE_SYSCALL, tid, 0, sig);
    }

    public static void ptraceSingleStep(int tid, int sig) {
        ptrace("PTRACE_SINGLESTEP", PTRACE_SINGLESTEP, tid, 0, sig);
    }

    /** PTRACE_LISTEN: lets a task in group stop stay stopped but report further stops (seized tasks only). */
    public static void ptraceListen(int tid) {
        ptrace("PTRACE_LISTEN", PTRACE_LISTEN, tid, 0, 0);
    }

    public static void ptraceSetOptions(int tid, long options) {
        ptrace("PTRACE_SETOPTIONS", PTRACE_SETOPTIONS, tid, 0, options);
    }

    /** The event message of the last event stop, e.g. the new tid after PTRACE_EVENT_CLONE. */
    public static long ptraceGetEventMsg(int tid) {
        Memory m = SMALL_SCRATCH.get();
        m.setLong(0, 0);
        ptrace("PTRACE_GETEVENTMSG", PTRACE_GETEVENTMSG, tid, 0, Pointer.nativeValue(m));
        return m.getLong(0);
    }

    /** The 27 fields of user_regs_struct, in {@link UserRegsStruct}'s order. */
    public static long[] ptraceGetRegs(int tid) {
        UserRegsStruct s = new UserRegsStruct();
        ptrace("PTRACE_GETREGS", PTRACE_GETREGS, tid, 0, Pointer.nativeValue(s.getPointer()));
        return s.getPointer().getLongArray(0, UserRegsStruct.COUNT);
    }

    public static void ptraceSetRegs(int tid, long[] regs) {
        if (regs.length != UserRegsStruct.COUNT) {
            throw new IllegalArgumentException("user_regs_struct has 27 fields, got " + regs.length);
        }
        UserRegsStruct s = new UserRegsStruct();
        s.getPointer().write(0, regs, 0, regs.length);
        ptrace("PTRACE_SETREGS", PTRACE_SETREGS, tid, 0, Pointer.nativeValue(s.getPointer()));
    }

    /** PTRACE_GETREGSET of TYPE (NT_*), at most MAX bytes; returns what the kernel filled in. */
    public static byte[] ptraceGetRegset(int tid, int type, int max) {
        Memory buf = new Memory(max);
        buf.clear();
        Memory iov = SMALL_SCRATCH.get();
        iov.setLong(0, Pointer.nativeValue(buf));
        iov.setLong(8, max);
        ptrace("PTRACE_GETREGSET", PTRACE_GETREGSET, tid, type, Pointer.nativeValue(iov));
        return buf.getByteArray(0, (int) iov.getLong(8));
    }

    public static void ptraceSetRegset(int tid, int type, byte[] data) {
        Memory buf = new Memory(Math.max(1, data.length));
        buf.write(0, data, 0, data.length);
        Memory iov = SMALL_SCRATCH.get();
        iov.setLong(0, Pointer.nativeValue(buf));
        iov.setLong(8, data.length);
        ptrace("PTRACE_SETREGSET", PTRACE_SETREGSET, tid, type, Pointer.nativeValue(iov));
    }

    /** The blocked-signal mask of one thread; bit N-1 is signal N. */
    public static long ptraceGetSigmask(int tid) {
        Memory m = SMALL_SCRATCH.get();
        ptrace("PTRACE_GETSIGMASK", PTRACE_GETSIGMASK, tid, 8, Pointer.nativeValue(m));
        return m.getLong(0);
    }

    public static void ptraceSetSigmask(int tid, long mask) {
        Memory m = SMALL_SCRATCH.get();
        m.setLong(0, mask);
        ptrace("PTRACE_SETSIGMASK", PTRACE_SETSIGMASK, tid, 8, Pointer.nativeValue(m));
    }

    /** The siginfo of the signal that caused the current stop (128 bytes). */
    public static byte[] ptraceGetSiginfo(int tid) {
        Memory m = SMALL_SCRATCH.get();
        ptrace("PTRACE_GETSIGINFO", PTRACE_GETSIGINFO, tid, 0, Pointer.nativeValue(m));
        return m.getByteArray(0, SIGINFO_SIZE);
    }

    public static void ptraceSetSiginfo(int tid, byte[] siginfo) {
        Memory m = SMALL_SCRATCH.get();
        m.write(0, siginfo, 0, SIGINFO_SIZE);
        ptrace("PTRACE_SETSIGINFO", PTRACE_SETSIGINFO, tid, 0, Pointer.nativeValue(m));
    }

    /**
     * Every queued signal of a thread without dequeuing it: the thread's own queue, or with SHARED the
     * process-wide queue. Each element is one 128-byte siginfo.
     */
    public static List<byte[]> ptracePeekSiginfo(int tid, boolean shared) {
        final int batch = 32;
        Memory args = new Memory(16);
        Memory out = new Memory((long) batch * SIGINFO_SIZE);
        List<byte[]> all = new ArrayList<>();
        while (true) {
            args.setLong(0, all.size());
            args.setInt(8, shared ? 1 : 0);
            args.setInt(12, batch);
            int n = (int) ptrace("PTRACE_PEEKSIGINFO", PTRACE_PEEKSIGINFO, tid, Pointer.nativeValue(args),
                    Pointer.nativeValue(out));
            for (int i = 0; i < n; i++) {
                all.add(out.getByteArray((long) i * SIGINFO_SIZE, SIGINFO_SIZE));
            }
            if (n < batch) {
                return all;
            }
        }
    }

    /** The rseq registration of a thread (PTRACE_GET_RSEQ_CONFIGURATION, Linux 5.13+). */
    public static RseqConfiguration ptraceGetRseqConfiguration(int tid) {
        Memory m = SMALL_SCRATCH.get();
        m.clear(32);
        long n = ptrace("PTRACE_GET_RSEQ_CONFIGURATION", PTRACE_GET_RSEQ_CONFIGURATION, tid, 32,
                Pointer.nativeValue(m));
        if (n < 24) {
            throw new SyscallException("ptrace(PTRACE_GET_RSEQ_CONFIGURATION) returned " + n + " bytes", tid,
                    Errno.EINVAL);
        }
        return new RseqConfiguration(m.getLong(0), m.getInt(8) & 0xffffffffL, m.getInt(12) & 0xffffffffL,
                m.getInt(16) & 0xffffffffL);
    }

    public static long ptracePeekData(int tid, long addr) {
        return ptrace("PTRACE_PEEKDATA", PTRACE_PEEKDATA, tid, addr, 0);
    }

    public static void ptracePokeData(int tid, long addr, long word) {
        ptrace("PTRACE_POKEDATA", PTRACE_POKEDATA, tid, addr, word);
    }

    // ---------------------------------------------------------------- wait

    /**
     * waitpid(PID, OPTIONS); with {@link #WNOHANG} a result whose pid is 0 means "nothing yet".
     * EINTR is retried.
     */
    public static WaitStatus waitpid(int pid, int options) {
        int[] status = new int[1];
        while (true) {
            try {
                int r = WaitLib.waitpid(pid, status, options);
                return new WaitStatus(r, status[0]);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("waitpid", pid, e.getErrorCode());
                }
            }
        }
    }

    // ---------------------------------------------------------------- signals

    public static void kill(int pid, int sig) {
        try {
            SignalLib.kill(pid, sig);
        } catch (LastErrorException e) {
            throw new SyscallException("kill", pid, e.getErrorCode());
        }
    }

    public static void tgkill(int tgid, int tid, int sig) {
        syscall("tgkill", tid, SYS_TGKILL, tgid, tid, sig, 0, 0, 0);
    }

    /** Queues SIGINFO (128 bytes) to thread TID of TGID; the kernel refuses si_code >= 0 for other processes. */
    public static void rtTgsigqueueinfo(int tgid, int tid, int sig, byte[] siginfo) {
        Memory m = new Memory(SIGINFO_SIZE);
        m.write(0, siginfo, 0, SIGINFO_SIZE);
        syscall("rt_tgsigqueueinfo", tid, SYS_RT_TGSIGQUEUEINFO, tgid, tid, sig, Pointer.nativeValue(m), 0, 0);
    }

    // ---------------------------------------------------------------- process

    /** Raw syscall(2) in jcr itself; NAME and PID only label the error. */
    public static long syscall(String name, long pid, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return ProcessLib.syscall(nr, a1, a2, a3, a4, a5, a6);
        } catch (LastErrorException e) {
            throw new SyscallException(name, pid, e.getErrorCode());
        }
    }

    /** pidfd_open(PID): a file descriptor referring to the process. */
    public static int pidfdOpen(int pid) {
        return (int) syscall("pidfd_open", pid, SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
    }

    /** PIDFD_THREAD (= O_EXCL): pidfd_open of a thread id refers to that thread (Linux 6.9). */
    public static final int PIDFD_THREAD = 0x80;

    /** pidfd_open(TID, PIDFD_THREAD): a file descriptor referring to one thread (its own fd table for pidfd_getfd). */
    public static int pidfdOpenThread(int tid) {
        return (int) syscall("pidfd_open(PIDFD_THREAD)", tid, SYS_PIDFD_OPEN, tid, PIDFD_THREAD, 0, 0, 0, 0);
    }

    /** pidfd_getfd: a duplicate, in jcr, of file descriptor TARGET_FD of the process PIDFD refers to. */
    public static int pidfdGetfd(int pidfd, int targetFd, int pid) {
        return (int) syscall("pidfd_getfd(" + targetFd + ")", pid, SYS_PIDFD_GETFD, pidfd, targetFd, 0, 0, 0, 0);
    }

    public static int prctl(int option, long a2, long a3, long a4, long a5) {
        try {
            return ProcessLib.prctl(option, a2, a3, a4, a5);
        } catch (LastErrorException e) {
            throw new SyscallException("prctl(" + option + ")", 0, e.getErrorCode());
        }
    }

    /** personality(0xffffffff): reads jcr's own persona without changing it. */
    public static int personality() {
        try {
            return ProcessLib.personality(0xffffffffL);
        } catch (LastErrorException e) {
            throw new SyscallException("personality", 0, e.getErrorCode());
        }
    }

    public static int getpid() {
        return ProcessLib.getpid();
    }

    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_BOOTTIME = 7;

    /** clock_gettime(CLOCK) in nanoseconds (the clocks jcr reads never exceed 292 years). */
    public static long clockNanos(int clock) {
        long[] ts = new long[2];
        try {
            ProcessLib.clock_gettime(clock, ts);
        } catch (LastErrorException e) {
            throw new SyscallException("clock_gettime(" + clock + ")", 0, e.getErrorCode());
        }
        return ts[0] * 1_000_000_000L + ts[1];
    }

    public static int gettid() {
        return (int) syscall("gettid", 0, SYS_GETTID, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Starts PATH with ARGV (argv[0] included) and an empty environment as a child of jcr, without
     * ProcessBuilder, in a new session when SETSID. Returns its pid; the caller must reap it.
     */
    public static int spawn(String path, String[] argv, boolean setsid) {
        return spawn(path, argv, new String[0], setsid);
    }

    /** Like {@link #spawn(String, String[], boolean)} with the environment ENVP ("NAME=value" each). */
    public static int spawn(String path, String[] argv, String[] envp, boolean setsid) {
        return spawn(path, argv, envp, setsid, null);
    }

    /**
     * Like {@link #spawn(String, String[], String[], boolean)}, the child's fds 0, 1, 2 … being
     * jcr's STDIO[0], STDIO[1] … and no other where glibc can close the rest (2.34+; null: it inherits
     * jcr's fds that are not close-on-exec).
     */
    public static int spawn(String path, String[] argv, String[] envp, boolean setsid, int[] stdio) {
        Memory attr = new Memory(SpawnLib.ATTR_SIZE);
        attr.clear();
        Memory actions = null;
        if (stdio != null) {
            actions = new Memory(SpawnLib.FILE_ACTIONS_SIZE);
            actions.clear();
            int err = SpawnLib.posix_spawn_file_actions_init(actions);
            for (int i = 0; i < stdio.length && err == 0; i++) {
                err = SpawnLib.posix_spawn_file_actions_adddup2(actions, stdio[i], i);
            }
            if (err == 0 && SpawnCloseFrom.AVAILABLE) {
                // not every fd of a JVM is close-on-exec: the child gets STDIO and nothing else (before
                // glibc 2.34 it also gets the JVM's inheritable fds, which a practice dump does not mind)
                err = SpawnCloseFrom.posix_spawn_file_actions_addclosefrom_np(actions, stdio.length);
            }
            if (err != 0) {
                SpawnLib.posix_spawn_file_actions_destroy(actions);
                throw new SyscallException("posix_spawn_file_actions", 0, err);
            }
        }
        try {
            SpawnLib.posix_spawnattr_init(attr);
            if (setsid) {
                SpawnLib.posix_spawnattr_setflags(attr, SpawnLib.POSIX_SPAWN_SETSID);
            }
            int[] pid = new int[1];
            int err = SpawnLib.posix_spawn(pid, path, actions, attr, new com.sun.jna.StringArray(argv),
                    new com.sun.jna.StringArray(envp));
            if (err != 0) {
                throw new SyscallException("posix_spawn(" + path + ")", 0, err);
            }
            return pid[0];
        } catch (LastErrorException e) {
            throw new SyscallException("posix_spawnattr", 0, e.getErrorCode());
        } finally {
            try {
                SpawnLib.posix_spawnattr_destroy(attr);
            } catch (LastErrorException ignored) {
                // nothing was allocated
            }
            if (actions != null) {
                SpawnLib.posix_spawn_file_actions_destroy(actions);
            }
        }
    }

    private static final int SYS_COPY_FILE_RANGE = 326;

    /**
     * copy_file_range(2): LEN bytes of file IN from IN_OFF to file OUT at OUT_OFF, all of them, inside
     * the kernel (page cache to page cache, nothing through jcr's memory).
     */
    public static void copyFileRange(int in, long inOff, int out, long outOff, long len) {
        Memory offsets = new Memory(16);
        long done = 0;
        while (done < len) {
            offsets.setLong(0, inOff + done);
            offsets.setLong(8, outOff + done);
            long n = syscall("copy_file_range", 0, SYS_COPY_FILE_RANGE, in, Pointer.nativeValue(offsets), out,
                    Pointer.nativeValue(offsets) + 8, len - done, 0);
            if (n <= 0) {
                throw new SyscallException("copy_file_range (copied nothing: the source is short)", 0, Errno.EIO);
            }
            done += n;
        }
    }

    private static final int SYS_MEMFD_CREATE = 319;
    /** memfd_create flags. */
    public static final int MFD_CLOEXEC = 1;
    /** Executable memfd (Linux 6.3+, where vm.memfd_noexec may otherwise forbid exec); older kernels say EINVAL. */
    public static final int MFD_EXEC = 0x10;

    /** memfd_create(NAME, FLAGS) in jcr (MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_EXEC …): an anonymous file; returns its fd. */
    public static int memfdCreate(String name, int flags) {
        Memory n = cString(name); // UTF-8: a restored memfd's name may be any bytes but NUL
        try {
            return (int) syscall("memfd_create(" + dev.jcr.Quote.of(name) + ")", 0, SYS_MEMFD_CREATE, Pointer.nativeValue(n),
                    flags, 0, 0, 0, 0);
        } finally {
            java.lang.ref.Reference.reachabilityFence(n);
        }
    }

    /** lseek(FD, OFFSET, SEEK_SET) in jcr. */
    public static long lseek(int fd, long offset) {
        return syscall("lseek(fd " + fd + ")", 0, 8, fd, offset, 0, 0, 0, 0);
    }

    // ---------------------------------------------------------------- memory of other processes

    /** The native address of a direct buffer's first byte (not its position). */
    public static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("buffer is not direct");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /**
     * Reads the COUNT remote ranges ADDRS[FROM..]/LENS[FROM..] of PID into DST starting at its position,
     * back to back, in batches of at most {@link #IOV_MAX}. Returns the bytes read: less than the sum
     * of lengths when a range became unreadable (the kernel stops at the first fault).
     */
    public static long processVmReadv(int pid, ByteBuffer dst, long[] addrs, long[] lens, int from, int count) {
        return vm(true, pid, addressOf(dst) + dst.position(), dst.remaining(), addrs, lens, from, count);
    }

    /**
     * Like {@link #processVmReadv(int, ByteBuffer, long[], long[], int, int)} into native memory at
     * LOCAL (e.g. a file mapping made with {@link #mmap}) of LOCAL_LEN bytes.
     */
    public static long processVmReadv(int pid, long local, long localLen, long[] addrs, long[] lens, int from,
            int count) {
        return vm(true, pid, local, localLen, addrs, lens, from, count);
    }

    /** Writes SRC (from its position) to the remote ranges, back to back. Returns bytes written. */
    public static long processVmWritev(int pid, ByteBuffer src, long[] addrs, long[] lens, int from, int count) {
        return vm(false, pid, addressOf(src) + src.position(), src.remaining(), addrs, lens, from, count);
    }

    /** Reads LEN bytes at ADDR of PID (small reads: copies through native scratch memory). */
    public static byte[] readMemory(int pid, long addr, int len) {
        Memory m = new Memory(Math.max(1, len));
        long n = vm(true, pid, Pointer.nativeValue(m), len, new long[] {addr}, new long[] {len}, 0, 1);
        if (n != len) {
            throw new SyscallException("process_vm_readv (short read " + n + "/" + len + " at 0x"
                    + Long.toHexString(addr) + ")", pid, Errno.EFAULT);
        }
        return m.getByteArray(0, len);
    }

    /** Writes DATA at ADDR of PID; fails unless every byte was written (the range must be writable). */
    public static void writeMemory(int pid, long addr, byte[] data) {
        Memory m = new Memory(Math.max(1, data.length));
        m.write(0, data, 0, data.length);
        long n = vm(false, pid, Pointer.nativeValue(m), data.length, new long[] {addr}, new long[] {data.length}, 0, 1);
        if (n != data.length) {
            throw new SyscallException("process_vm_writev (short write " + n + "/" + data.length + " at 0x"
                    + Long.toHexString(addr) + ")", pid, Errno.EFAULT);
        }
    }

    private static long vm(boolean read, int pid, long local, long localLen, long[] addrs, long[] lens, int from,
            int count) {
        Memory iov = IOV_SCRATCH.get();
        long total = 0;
        long localPos = local;
        int i = from;
        int end = from + count;
        while (i < end) {
            int n = Math.min(IOV_MAX, end - i);
            long want = 0;
            for (int k = 0; k < n; k++) {
                long off = (long) (k + 1) * Iovec.SIZE;
                iov.setLong(off, addrs[i + k]);
                iov.setLong(off + 8, lens[i + k]);
                want += lens[i + k];
            }
            if (localPos - local + want > localLen) {
                throw new IllegalArgumentException("buffer too small: " + localLen + " bytes for "
                        + (localPos - local + want));
            }
            iov.setLong(0, localPos);
            iov.setLong(8, want);
            long peer = Pointer.nativeValue(iov);
            long got;
            try {
                got = read ? UioLib.process_vm_readv(pid, peer, 1, peer + Iovec.SIZE, n, 0)
                        : UioLib.process_vm_writev(pid, peer, 1, peer + Iovec.SIZE, n, 0);
            } catch (LastErrorException e) {
                if (total > 0 && e.getErrorCode() == Errno.EFAULT) {
                    return total;
                }
                throw new SyscallException(read ? "process_vm_readv" : "process_vm_writev", pid, e.getErrorCode());
            }
            total += got;
            localPos += got;
            if (got < want) {
                return total;
            }
            i += n;
        }
        return total;
    }

    // ---------------------------------------------------------------- files and pipes

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int SPLICE_F_NONBLOCK = 2;

    /** ioctl(FD, REQUEST, buffer) with DATA as the buffer (in and out): returns the buffer after the call. */
    public static byte[] ioctl(int fd, long request, byte[] data) {
        Memory m = new Memory(Math.max(1, data.length));
        m.write(0, data, 0, data.length);
        try {
            syscall("ioctl(fd " + fd + ", 0x" + Long.toHexString(request) + ")", 0, SYS_IOCTL, fd, request,
                    Pointer.nativeValue(m), 0, 0, 0);
            return m.getByteArray(0, data.length);
        } finally {
            java.lang.ref.Reference.reachabilityFence(m);
        }
    }

    public static void mkdir(String path, int mode) {
        try {
            FdLib.mkdir(path, mode);
        } catch (LastErrorException e) {
            throw new SyscallException("mkdir(" + path + ")", 0, e.getErrorCode());
        }
    }

    public static void rmdir(String path) {
        try {
            FdLib.rmdir(path);
        } catch (LastErrorException e) {
            throw new SyscallException("rmdir(" + path + ")", 0, e.getErrorCode());
        }
    }

    public static int open(String path, int flags, int mode) {
        try {
            return FdLib.open(path, flags | O_CLOEXEC, mode);
        } catch (LastErrorException e) {
            throw new SyscallException("open(" + dev.jcr.Quote.of(path) + ")", 0, e.getErrorCode());
        }
    }

    /**
     * eventfd(2) with counter INITVAL (glibc takes an unsigned int, so larger counters are written
     * afterwards by the caller) and FLAGS (EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC).
     */
    public static int eventfd(int initval, int flags) {
        try {
            return FdLib.eventfd(initval, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("eventfd", 0, e.getErrorCode());
        }
    }

    // ---------------------------------------------------------------- event-loop files

    private static final int SYS_EPOLL_CREATE1 = 291;
    private static final int SYS_SIGNALFD4 = 289;
    private static final int SYS_TIMERFD_CREATE = 283;
    private static final int SYS_TIMERFD_SETTIME = 286;
    private static final int SYS_KCMP = 312;
    private static final int KCMP_EPOLL_TFD = 7;
    /** _IOW('T', 0, u64): sets a timerfd's count of expirations not yet read (CONFIG_CHECKPOINT_RESTORE). */
    private static final long TFD_IOC_SET_TICKS = 0x40085400L;

    /** epoll_create1(FLAGS) (EPOLL_CLOEXEC). */
    public static int epollCreate(int flags) {
        return (int) syscall("epoll_create1", 0, SYS_EPOLL_CREATE1, flags, 0, 0, 0, 0, 0);
    }

    /** signalfd4(-1, MASK, 8, FLAGS): a new signalfd for the signals in MASK (bit N-1 = signal N). */
    public static int signalfd(long mask, int flags) {
        Memory m = new Memory(8);
        m.setLong(0, mask);
        return (int) syscall("signalfd4", 0, SYS_SIGNALFD4, -1, Pointer.nativeValue(m), 8, flags, 0, 0);
    }

    /** timerfd_create(CLOCK, FLAGS). */
    public static int timerfdCreate(int clock, int flags) {
        return (int) syscall("timerfd_create(clock " + clock + ")", 0, SYS_TIMERFD_CREATE, clock, flags, 0, 0, 0, 0);
    }

    /** timerfd_settime(FD, FLAGS, {interval, value}) with both times in nanoseconds. */
    public static void timerfdSettime(int fd, int flags, long intervalNanos, long valueNanos) {
        Memory m = new Memory(32);
        m.setLong(0, intervalNanos / 1_000_000_000L);
        m.setLong(8, intervalNanos % 1_000_000_000L);
        m.setLong(16, valueNanos / 1_000_000_000L);
        m.setLong(24, valueNanos % 1_000_000_000L);
        syscall("timerfd_settime(fd " + fd + ")", 0, SYS_TIMERFD_SETTIME, fd, flags, Pointer.nativeValue(m), 0, 0, 0);
    }

    /** Sets the expirations not yet read of timerfd FD (TFD_IOC_SET_TICKS). */
    public static void timerfdSetTicks(int fd, long ticks) {
        Memory m = new Memory(8);
        m.setLong(0, ticks);
        syscall("ioctl(TFD_IOC_SET_TICKS)", 0, SYS_IOCTL, fd, TFD_IOC_SET_TICKS, Pointer.nativeValue(m), 0, 0, 0);
    }

    /**
     * Whether fd FD of process PID is the file that PID's epoll EPFD watches as its TOFF-th target
     * registered under number TFD (kcmp KCMP_EPOLL_TFD); false when FD is not open or is another file.
     */
    public static boolean isEpollTarget(int pid, int fd, int epfd, int tfd, int toff) {
        Memory slot = new Memory(12);
        slot.setInt(0, epfd);
        slot.setInt(4, tfd);
        slot.setInt(8, toff);
        try {
            return syscall("kcmp(KCMP_EPOLL_TFD)", pid, SYS_KCMP, pid, pid, KCMP_EPOLL_TFD, fd, Pointer.nativeValue(slot),
                    0) == 0;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EBADF || e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- fsnotify, file handles, memfd

    private static final int SYS_INOTIFY_ADD_WATCH = 254;
    private static final int SYS_INOTIFY_INIT1 = 294;
    private static final int SYS_FANOTIFY_INIT = 300;
    private static final int SYS_FANOTIFY_MARK = 301;
    private static final int SYS_OPEN_BY_HANDLE_AT = 304;
    private static final int SYS_FCHMOD = 91;
    private static final int SYS_FCHOWN = 93;
    /** _IOW('I', 0, __s32): the wd an inotify instance gives next (CONFIG_CHECKPOINT_RESTORE); the value is the argument itself. */
    private static final long INOTIFY_IOC_SETNEXTWD = 0x40044900L;
    private static final long FIONREAD = 0x541B;
    public static final int O_PATH = 010000000;
    public static final int O_DIRECTORY = 0200000;

    /** inotify_init1(FLAGS) (IN_NONBLOCK, IN_CLOEXEC). */
    public static int inotifyInit(int flags) {
        return (int) syscall("inotify_init1", 0, SYS_INOTIFY_INIT1, flags, 0, 0, 0, 0, 0);
    }

    /** Makes inotify instance FD give watch descriptor WD to the next watch added (INOTIFY_IOC_SETNEXTWD). */
    public static void inotifySetNextWd(int fd, int wd) {
        syscall("ioctl(INOTIFY_IOC_SETNEXTWD, " + wd + ")", 0, SYS_IOCTL, fd, INOTIFY_IOC_SETNEXTWD, wd, 0, 0, 0);
    }

    /** inotify_add_watch(FD, PATH, MASK): the watch descriptor. */
    public static int inotifyAddWatch(int fd, String path, int mask) {
        Memory m = cString(path);
        return (int) syscall("inotify_add_watch(" + dev.jcr.Quote.of(path) + ")", 0, SYS_INOTIFY_ADD_WATCH, fd,
                Pointer.nativeValue(m), mask & 0xffffffffL, 0, 0, 0);
    }

    /** fanotify_init(FLAGS, EVENT_F_FLAGS). */
    public static int fanotifyInit(int flags, int eventFlags) {
        return (int) syscall("fanotify_init", 0, SYS_FANOTIFY_INIT, flags & 0xffffffffL, eventFlags & 0xffffffffL, 0, 0, 0, 0);
    }

    /** fanotify_mark(FD, FLAGS, MASK, DIRFD, PATH or null): WHAT names the mark in errors. */
    public static void fanotifyMark(int fd, int flags, long mask, int dirfd, String path, String what) {
        Memory m = path == null ? null : cString(path);
        syscall("fanotify_mark(" + what + ")", 0, SYS_FANOTIFY_MARK, fd, flags & 0xffffffffL, mask, dirfd,
                m == null ? 0 : Pointer.nativeValue(m), 0);
    }

    /** open_by_handle_at(MOUNT_FD, {HANDLE of TYPE}, FLAGS): an fd of the file the handle names (needs CAP_DAC_READ_SEARCH). */
    public static int openByHandle(int mountFd, int type, byte[] handle, int flags) {
        Memory h = new Memory(8 + Math.max(1, handle.length));
        h.setInt(0, handle.length);
        h.setInt(4, type);
        h.write(8, handle, 0, handle.length);
        return (int) syscall("open_by_handle_at", 0, SYS_OPEN_BY_HANDLE_AT, mountFd, Pointer.nativeValue(h),
                flags | O_CLOEXEC, 0, 0, 0);
    }

    /** The bytes waiting to be read from FD (ioctl FIONREAD): unread events of an inotify or fanotify instance. */
    public static int bytesReadable(int fd) {
        Memory m = new Memory(4);
        m.setInt(0, 0);
        syscall("ioctl(FIONREAD)", 0, SYS_IOCTL, fd, FIONREAD, Pointer.nativeValue(m), 0, 0, 0);
        return m.getInt(0);
    }

    public static void fchmod(int fd, int mode) {
        syscall("fchmod(fd " + fd + ")", 0, SYS_FCHMOD, fd, mode, 0, 0, 0, 0);
    }

    public static void fchown(int fd, int uid, int gid) {
        syscall("fchown(fd " + fd + ")", 0, SYS_FCHOWN, fd, uid, gid, 0, 0, 0);
    }

    /** The filesystem magic number of what FD is on (fstatfs f_type), e.g. HUGETLBFS_MAGIC. */
    public static long fstatfsType(int fd) {
        Memory m = new Memory(120); // struct statfs on x86-64; f_type first
        syscall("fstatfs(fd " + fd + ")", 0, 138, fd, Pointer.nativeValue(m), 0, 0, 0, 0);
        return m.getLong(0);
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Memory m = new Memory(b.length + 1);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    public static void close(int fd) {
        try {
            FdLib.close(fd);
        } catch (LastErrorException e) {
            throw new SyscallException("close(" + fd + ")", 0, e.getErrorCode());
        }
    }

    /** write(2) of all of DATA (retrying short writes), e.g. refilling a pipe. */
    public static void write(int fd, byte[] data) {
        int off = 0;
        while (off < data.length) {
            byte[] rest = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
            try {
                off += (int) FdLib.write(fd, rest, rest.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("write(fd " + fd + ")", 0, e.getErrorCode());
                }
            }
        }
    }

    /** pread into native memory at ADDR; returns bytes read. */
    public static long pread(int fd, long addr, long len, long offset) {
        try {
            return FdLib.pread(fd, addr, len, offset);
        } catch (LastErrorException e) {
            throw new SyscallException("pread(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    /** pwrite from native memory at ADDR; returns bytes written. */
    public static long pwrite(int fd, long addr, long len, long offset) {
        try {
            return FdLib.pwrite(fd, addr, len, offset);
        } catch (LastErrorException e) {
            throw new SyscallException("pwrite(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    /** pread into DST from its position (position not moved); returns bytes read. */
    public static long pread(int fd, ByteBuffer dst, long offset) {
        try {
            return FdLib.pread(fd, addressOf(dst) + dst.position(), dst.remaining(), offset);
        } catch (LastErrorException e) {
            throw new SyscallException("pread(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    /** pwrite from SRC's position (position not moved); returns bytes written. */
    public static long pwrite(int fd, ByteBuffer src, long offset) {
        try {
            return FdLib.pwrite(fd, addressOf(src) + src.position(), src.remaining(), offset);
        } catch (LastErrorException e) {
            throw new SyscallException("pwrite(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    public static void ftruncate(int fd, long length) {
        try {
            FdLib.ftruncate(fd, length);
        } catch (LastErrorException e) {
            throw new SyscallException("ftruncate(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    /**
     * fallocate(2) with mode 0: reserves LEN bytes at OFFSET so that later writes through a shared
     * mapping cannot fail for lack of space (which would be a SIGBUS instead of ENOSPC).
     */
    public static void fallocate(int fd, long offset, long len) {
        try {
            FdLib.fallocate(fd, 0, offset, len);
        } catch (LastErrorException e) {
            throw new SyscallException("fallocate(fd " + fd + ")", 0, e.getErrorCode());
        }
    }

    public static int fcntl(int fd, int cmd, long arg) {
        try {
            return FdLib.fcntl(fd, cmd, arg);
        } catch (LastErrorException e) {
            throw new SyscallException("fcntl(fd " + fd + ", " + cmd + ")", 0, e.getErrorCode());
        }
    }

    /** A new pipe: [read end, write end], close-on-exec. */
    public static int[] pipe() {
        int[] fds = new int[2];
        try {
            FdLib.pipe2(fds, O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SyscallException("pipe2", 0, e.getErrorCode());
        }
        return fds;
    }

    /** tee(2): duplicates up to LEN bytes of pipe IN into pipe OUT without consuming them. */
    public static long tee(int in, int out, long len, int flags) {
        try {
            return FdLib.tee(in, out, len, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("tee", 0, e.getErrorCode());
        }
    }

    /** splice(2) from pipe IN to file OUT at OFF_OUT (no offset on the pipe side); returns bytes moved. */
    public static long spliceToFile(int in, int out, long offOut, long len, int flags) {
        Memory off = SMALL_SCRATCH.get();
        off.setLong(0, offOut);
        try {
            return FdLib.splice(in, 0, out, Pointer.nativeValue(off), len, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("splice", 0, e.getErrorCode());
        }
    }

    /** splice(2) with offsets (pass -1 to mean "use the file position", as pipes need). */
    public static long splice(int in, long offIn, int out, long offOut, long len, int flags) {
        Memory offs = new Memory(16);
        offs.setLong(0, offIn);
        offs.setLong(8, offOut);
        try {
            return FdLib.splice(in, offIn < 0 ? 0 : Pointer.nativeValue(offs), out,
                    offOut < 0 ? 0 : Pointer.nativeValue(offs) + 8, len, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("splice", 0, e.getErrorCode());
        }
    }

    /**
     * poll(2) of one descriptor for readability (POLLIN), up to TIMEOUT_MS: true when it is readable,
     * at end of file, or in error (a read then tells which); false on timeout or EINTR.
     */
    public static boolean pollIn(int fd, int timeoutMs) {
        Memory pfd = SMALL_SCRATCH.get();
        pfd.setInt(0, fd);
        pfd.setShort(4, (short) 1 /* POLLIN */);
        pfd.setShort(6, (short) 0);
        try {
            return FdLib.poll(Pointer.nativeValue(pfd), 1, timeoutMs) > 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return false;
            }
            throw new SyscallException("poll", 0, e.getErrorCode());
        }
    }

    /** vmsplice(2) of SRC's remaining bytes into pipe FD; returns bytes moved. */
    public static long vmsplice(int fd, ByteBuffer src, int flags) {
        Memory iov = new Memory(Iovec.SIZE);
        iov.setLong(0, addressOf(src) + src.position());
        iov.setLong(8, src.remaining());
        try {
            return FdLib.vmsplice(fd, Pointer.nativeValue(iov), 1, flags);
        } catch (LastErrorException e) {
            throw new SyscallException("vmsplice", 0, e.getErrorCode());
        }
    }

    // ---------------------------------------------------------------- own memory

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_POPULATE = 0x8000;

    public static long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        try {
            return MmanLib.mmap(addr, length, prot, flags, fd, offset);
        } catch (LastErrorException e) {
            throw new SyscallException("mmap", 0, e.getErrorCode());
        }
    }

    public static void madvise(long addr, long length, int advice) {
        try {
            MmanLib.madvise(addr, length, advice);
        } catch (LastErrorException e) {
            throw new SyscallException("madvise", 0, e.getErrorCode());
        }
    }

    /** Stores byte B at ADDR of jcr's own memory (a real CPU write, e.g. to probe write tracking). */
    public static void poke(long addr, byte b) {
        new Pointer(addr).setByte(0, b);
    }

    public static void munmap(long addr, long length) {
        try {
            MmanLib.munmap(addr, length);
        } catch (LastErrorException e) {
            throw new SyscallException("munmap", 0, e.getErrorCode());
        }
    }
}
