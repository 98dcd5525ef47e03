package dev.jcr.ptrace;

import dev.jcr.fault.Faults;
import dev.jcr.proc.ProcFs;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.WaitStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The zero-copy way to move a frozen process's pages into a file, CRIU's way without a parasite
 * blob: a helper thread that jcr adds to the process vmsplices the process's own pages into a pipe —
 * the pipe then holds references to the pages, nothing is copied — while jcr, holding the pipe's
 * read end (taken with pidfd_getfd), splices them into the file: the only copy is into the file's
 * page cache, as with a plain write(2).
 *
 * <p>The helper runs a few instructions jcr writes into a page it maps in the process: a loop of
 * blocking vmsplice calls over an iovec array of all the pages to copy. So the whole copy takes no
 * ptrace round trip per chunk: the pipe itself paces the helper (vmsplice sleeps while the pipe is
 * full, jcr's splice wakes it), and the helper and jcr run on two CPUs at once. The pipe is as large
 * as an unprivileged process may make it (/proc/sys/fs/pipe-max-size).
 *
 * <p>Crash safety (jcr may die at any instant, docs/ptrace.md): the process's own threads are only
 * driven by guarded remote sessions (mapping the page, cloning the helper, unmapping at the end). The
 * helper is built to end itself whenever jcr lets go of it: it is cloned <em>without</em> CLONE_FILES,
 * so its pipe lives in its own descriptor table and vanishes with it (the process never holds a pipe
 * end, not even for an instant); it inherits the all-blocked signal mask of the guarded clone3 caller,
 * so no signal of the process is ever taken by it (the SIGPIPE of a vmsplice into a pipe whose reader
 * died stays pending on the helper and vanishes with it); its first instruction after clone3 sends it
 * to its exit path (unmap its iovec array, exit), and every remote syscall jcr makes in it returns
 * there too ({@link RemoteSyscalls#forHelper}). So at its birth stop, at any of its stops, in its loop
 * (vmsplice fails with EPIPE once jcr's read end is gone) it ends by itself if jcr dies. The parent's
 * clone3 returns to the same code, which sends it (rax = the child's tid) into its rt_sigreturn
 * trampoline. What can remain after jcr's death is this small anonymous mapping (code, stack,
 * arguments), nothing the process uses.
 *
 * <p>Pages vmspliced without SPLICE_F_GIFT stay the process's pages: every byte is spliced into the
 * file before {@link #copy} returns, while the process is still frozen. The loop stops at the first
 * page it cannot pin (e.g. PROT_NONE): {@link #copy} then reports how far it got and the caller
 * copies the rest another way ({@link RemoteMemory}).
 */
public final class PipeDrain implements AutoCloseable {

    private static final int SYS_CLOSE = 3;
    private static final int SYS_FCNTL = 72;
    private static final int SYS_PIPE2 = 293;
    private static final int SYS_CLONE3 = 435;
    private static final int SYS_CLOSE_RANGE = 436;
    /** A thread of the process (shared memory, signal handlers) with a descriptor table of its own. */
    private static final long CLONE_THREAD_FLAGS = 0x100 /* VM */ | 0x200 /* FS */
            | 0x800 /* SIGHAND */ | 0x10000 /* THREAD */ | 0x40000 /* SYSVSEM */;
    private static final int PAGE = RemoteSyscalls.PAGE;
    /** How long the splicer waits for data before it looks after the helper (a stop to answer?). */
    private static final int POLL_MS = 100;

    // the helper's area in the target: code page, stack page, then a page for arguments and results
    private static final int ENTRY = 0;
    private static final int EXIT_PATH = 0x10;
    private static final int LOOP = 0x40;
    private static final int STACK_TOP = 2 * PAGE;
    private static final int ARGS = 2 * PAGE;
    private static final int FDS = ARGS + 128;
    private static final int IOV_SLOT = ARGS + 192; // iovec array address and length, for the exit path
    private static final int RESULT = ARGS + 256;
    private static final int AREA = 3 * PAGE;

    /**
     * The helper's code (x86-64, from the listing beside each line). ENTRY: where clone3 returns in
     * both threads: the new one (rax 0) goes to EXIT_PATH, the parent into its rt_sigreturn
     * trampoline. EXIT_PATH: munmap(iovec array) and exit(0), the helper's trampoline. LOOP: r12 =
     * iovec array, r13 = iovecs left, r14 = write end, r15 = {bytes moved, last result}.
     */
    private static final int[] CODE = {
        0x48, 0x85, 0xc0,                               // 00 entry:  test %rax, %rax
        0x74, 0x0b,                                     // 03         jz exit_path
        0xb8, 0x0f, 0x00, 0x00, 0x00,                   // 05 parent: mov $15 (rt_sigreturn), %eax
        0x0f, 0x05,                                     // 0a         syscall
        0xeb, 0xf7,                                     // 0c         jmp parent
        0x00, 0x00,                                     // 0e
        0xb8, 0x0b, 0x00, 0x00, 0x00,                   // 10 exit:   mov $11 (munmap), %eax
        0x48, 0x8b, 0x3d, 0xa4, 0x20, 0x00, 0x00,       // 15         mov IOV_SLOT(%rip), %rdi
        0x48, 0x8b, 0x35, 0xa5, 0x20, 0x00, 0x00,       // 1c         mov IOV_SLOT+8(%rip), %rsi
        0x0f, 0x05,                                     // 23         syscall
        0xb8, 0x3c, 0x00, 0x00, 0x00,                   // 25         mov $60 (exit), %eax
        0x31, 0xff,                                     // 2a         xor %edi, %edi
        0x0f, 0x05,                                     // 2c         syscall
        0xeb, 0xe0,                                     // 2e         jmp exit
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 30
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 38
        0x4d, 0x85, 0xed,                               // 40 loop:   test %r13, %r13
        0x74, 0x4f,                                     // 43         jz ok
        0x4c, 0x89, 0xea,                               // 45         mov %r13, %rdx
        0x48, 0x81, 0xfa, 0x00, 0x04, 0x00, 0x00,       // 48         cmp $1024, %rdx
        0x76, 0x05,                                     // 4f         jbe 1f
        0xba, 0x00, 0x04, 0x00, 0x00,                   // 51         mov $1024, %edx
        0xb8, 0x16, 0x01, 0x00, 0x00,                   // 56 1:      mov $278 (vmsplice), %eax
        0x4c, 0x89, 0xf7,                               // 5b         mov %r14, %rdi
        0x4c, 0x89, 0xe6,                               // 5e         mov %r12, %rsi
        0x45, 0x31, 0xd2,                               // 61         xor %r10d, %r10d (flags 0: block while full)
        0x0f, 0x05,                                     // 64         syscall
        0x48, 0x85, 0xc0,                               // 66         test %rax, %rax
        0x7e, 0x2b,                                     // 69         jle fail
        0x49, 0x01, 0x07,                               // 6b         add %rax, (%r15)
        0x49, 0x8b, 0x4c, 0x24, 0x08,                   // 6e adv:    mov 8(%r12), %rcx (consume rax bytes)
        0x48, 0x39, 0xc8,                               // 73         cmp %rcx, %rax
        0x72, 0x11,                                     // 76         jb partial
        0x48, 0x29, 0xc8,                               // 78         sub %rcx, %rax
        0x49, 0x83, 0xc4, 0x10,                         // 7b         add $16, %r12
        0x49, 0xff, 0xcd,                               // 7f         dec %r13
        0x48, 0x85, 0xc0,                               // 82         test %rax, %rax
        0x75, 0xe7,                                     // 85         jnz adv
        0xeb, 0xb7,                                     // 87         jmp loop
        0x49, 0x01, 0x04, 0x24,                         // 89 partial: add %rax, (%r12)
        0x49, 0x29, 0x44, 0x24, 0x08,                   // 8d         sub %rax, 8(%r12)
        0xeb, 0xac,                                     // 92         jmp loop
        0x31, 0xc0,                                     // 94 ok:     xor %eax, %eax
        0x49, 0x89, 0x47, 0x08,                         // 96 fail:   mov %rax, 8(%r15)
        0xe9, 0x71, 0xff, 0xff, 0xff,                   // 9a         jmp exit
    };

    private final Tracer tracer;
    private final int tid;
    private final int tgid;
    private final long area;
    private final int readFd;
    /** The pipe's write end in the helper's own descriptor table. */
    private final int writeEnd;
    private final int pipeSize;
    private final int helperTid;
    private long iovArea;
    private long iovLen;
    private boolean helperGone;
    private boolean used;
    /** The helper runs its loop (no longer sits in a stop). */
    private boolean running;
    private boolean readClosed;
    private boolean closed;
    private boolean spliced;

    private PipeDrain(Tracer tracer, int tid, int tgid, long area, int readFd, int writeEnd, int pipeSize,
            int helperTid) {
        this.writeEnd = writeEnd;
        this.tracer = tracer;
        this.tid = tid;
        this.tgid = tgid;
        this.area = area;
        this.readFd = readFd;
        this.pipeSize = pipeSize;
        this.helperTid = helperTid;
    }

    /**
     * Opens a drain on the process of traced task TID (stopped, with no other remote session open):
     * maps the helper's page, adds the helper thread, which makes the pipe. Fails with a
     * {@link dev.jcr.JcrException} when the process does not let it (e.g. a seccomp filter refusing
     * clone3, no descriptor allowed at all); the process is then as it was.
     */
    public static PipeDrain open(Tracer tracer, int tid) {
        return tracer.call(() -> openOnTracer(tracer, tid));
    }

    private static PipeDrain openOnTracer(Tracer tracer, int tid) {
        TracedTask task = tracer.require(tid);
        int mine = -1;
        long area = 0;
        int helperTid = -1;
        boolean ok = false;
        try {
            int child;
            try (RemoteSyscalls rs = tracer.remote(tid)) {
                area = rs.mmap(0, AREA, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
                rs.write(area, code());
                ByteBuffer args = le(new byte[88]);
                args.putLong(0, CLONE_THREAD_FLAGS).putLong(40, area + PAGE).putLong(48, STACK_TOP - PAGE);
                rs.write(area + ARGS, args.array());
                rs.mprotect(area, PAGE, Linux.PROT_READ | Linux.PROT_EXEC);
                Faults.hit(Faults.DRAIN_AREA);
                // clone3 returning into the helper's page: the new thread starts at ENTRY, which sends it
                // to its exit path; TRACECLONE makes it ours, stopped before it runs at all
                Linux.ptraceSetOptions(tid, Tracer.BASE_OPTIONS | Linux.PTRACE_O_TRACECLONE);
                try {
                    long r = rs.syscallReturningTo(area + ENTRY, SYS_CLONE3, area + ARGS, 88);
                    if (r < 0 && r >= -4095) {
                        throw new RemoteSyscallException("clone3 (drain helper)", tid, (int) -r);
                    }
                    List<Integer> born = rs.newChildren();
                    if (born.size() != 1) {
                        throw new TraceException(tid, "clone3 of the drain's helper thread gave " + born);
                    }
                    child = born.get(0);
                    helperTid = child;
                } finally {
                    Linux.ptraceSetOptions(tid, Tracer.BASE_OPTIONS);
                }
            }
            Faults.hit(Faults.DRAIN_HELPER);
            int size;
            int writeEnd;
            try (RemoteSyscalls helper = RemoteSyscalls.forHelper(tracer, tracer.require(child), area + EXIT_PATH)) {
                // its descriptor table is a copy of the process's: drop those, keep only the pipe
                helper.check("close_range", SYS_CLOSE_RANGE, 0, 0xffffffffL, 0);
                helper.check("pipe2", SYS_PIPE2, area + FDS, Linux.O_CLOEXEC);
                ByteBuffer fds = le(helper.read(area + FDS, 8));
                int readEnd = fds.getInt(0);
                writeEnd = fds.getInt(4);
                long got = helper.syscall(SYS_FCNTL, writeEnd, Linux.F_SETPIPE_SZ, maxPipeSize());
                if (got < 0) {
                    got = helper.check("fcntl(F_GETPIPE_SZ)", SYS_FCNTL, writeEnd, Linux.F_GETPIPE_SZ);
                }
                size = (int) got;
                int pidfd = Linux.pidfdOpenThread(child);
                try {
                    mine = Linux.pidfdGetfd(pidfd, readEnd, child);
                } finally {
                    Linux.close(pidfd);
                }
                helper.check("close", SYS_CLOSE, readEnd);
            }
            Faults.hit(Faults.DRAIN_PIPE);
            PipeDrain d = new PipeDrain(tracer, tid, task.tgid(), area, mine, writeEnd, size, child);
            ok = true;
            return d;
        } finally {
            if (!ok) {
                if (mine >= 0) {
                    Linux.close(mine);
                }
                if (helperTid <= 0 || endHelper(tracer, helperTid)) {
                    unmapArea(tracer, tid, area);
                }
            }
        }
    }

    private static byte[] code() {
        byte[] b = new byte[CODE.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) CODE[i];
        }
        return b;
    }

    private static int maxPipeSize() {
        return (int) ProcFs.system().sysctl("fs/pipe-max-size").orElse(1 << 20);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The pipe's size: how many bytes the helper can have in flight. */
    public int pipeSize() {
        return pipeSize;
    }

    /** The helper thread's id (it exists from {@link #open} until the copy ends or {@link #close}). */
    public int helperTid() {
        return helperTid;
    }

    /** Copies RUNS into file descriptor FD at OFFSET, back to back; returns the bytes copied (see {@link #copy}). */
    public long copyTo(PageRuns runs, int fd, long offset) {
        long[] at = new long[runs.count()];
        long off = offset;
        for (int i = 0; i < at.length; i++) {
            at[i] = off;
            off += runs.len(i);
        }
        return copy(runs, at, fd, b -> { });
    }

    /** Copies RUNS into FILE at OFFSET (created if needed); returns bytes. */
    public long copyToFile(PageRuns runs, Path file, long offset) {
        int fd = Linux.open(file.toString(), Linux.O_WRONLY | 0x40 /* O_CREAT */, 0600);
        try {
            return copyTo(runs, fd, offset);
        } finally {
            Linux.close(fd);
        }
    }

    /**
     * Copies run i of RUNS to file descriptor FD at AT[i], in one pass of the helper; PROGRESS gets
     * the bytes of each splice. Returns how many bytes of the runs, in order, are in the file (page
     * cache) now: all of them, or fewer if the helper stopped at a page it could not pin — the caller
     * copies the rest another way. One copy per drain: the helper ends with it.
     */
    public long copy(PageRuns runs, long[] at, int fd, LongConsumer progress) {
        return copy(runs, at, (pipe, offset, max) -> Linux.spliceToFile(pipe, fd, offset, max, Linux.SPLICE_F_NONBLOCK),
                progress);
    }

    /**
     * Where the drain's bytes go: moves up to MAX bytes waiting in PIPE to OFFSET of the pages file
     * and returns how many it moved (0 only at the end of the pipe); may throw EAGAIN when none wait.
     */
    @FunctionalInterface
    public interface Sink {
        long splice(int pipe, long offset, long max);
    }

    /** {@link #copy(PageRuns, long[], int, LongConsumer)} into any {@link Sink} (a file, a page server). */
    public long copy(PageRuns runs, long[] at, Sink out, LongConsumer progress) {
        if (used || closed) {
            throw new IllegalStateException("the drain of " + tid + " was used already");
        }
        used = true;
        long total = runs.bytes();
        if (total == 0) {
            return 0;
        }
        tracer.run(() -> startLoop(runs));
        Faults.hit(Faults.DRAIN_RUNNING);
        long done = 0;
        try {
            int r = 0;
            long inRun = 0;
            while (r < runs.count()) {
                // wait for data (or the end) first: a splice that finds the pipe empty would cost an
                // exception per wait; a long wait means the helper may need the tracer (a stop)
                if (!Linux.pollIn(readFd, POLL_MS)) {
                    tracer.run(() -> tendHelper(false));
                    continue;
                }
                long s;
                try {
                    s = out.splice(readFd, at[r] + inRun, runs.len(r) - inRun);
                } catch (SyscallException e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw e;
                    }
                    continue;
                }
                if (s == 0) {
                    break; // end of file: the helper stopped early (its exit closed the write end)
                }
                if (!spliced) {
                    spliced = true;
                    Faults.hit(Faults.DRAIN_SPLICED);
                }
                done += s;
                inRun += s;
                if (inRun == runs.len(r)) {
                    r++;
                    inRun = 0;
                }
                progress.accept(s);
            }
        } catch (RuntimeException | Error e) {
            // a helper blocked on the full pipe wakes up with EPIPE once no reader is left, and ends
            closeRead();
            throw e;
        } finally {
            tracer.run(() -> tendHelper(true));
        }
        Faults.hit(Faults.DRAIN_DONE);
        return done;
    }

    /** Writes the iovecs into the process (an array the helper maps), points the helper at its loop, lets it run. */
    private void startLoop(PageRuns runs) {
        long bytes = (long) runs.count() * 16;
        iovLen = (bytes + PAGE - 1) / PAGE * PAGE;
        try (RemoteSyscalls helper = RemoteSyscalls.forHelper(tracer, tracer.require(helperTid), area + EXIT_PATH)) {
            iovArea = helper.mmap(0, iovLen, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS,
                    -1, 0);
        }
        // from now on the helper's exit path unmaps the array (also if jcr dies)
        Linux.writeMemory(tgid, area + IOV_SLOT, le(new byte[16]).putLong(0, iovArea).putLong(8, iovLen).array());
        int per = 1 << 16;
        for (int first = 0; first < runs.count(); first += per) {
            int n = Math.min(per, runs.count() - first);
            ByteBuffer b = le(new byte[n * 16]);
            for (int i = 0; i < n; i++) {
                b.putLong(runs.addr(first + i)).putLong(runs.len(first + i));
            }
            Linux.writeMemory(tgid, iovArea + (long) first * 16, b.array());
        }
        Linux.writeMemory(tgid, area + RESULT, new byte[16]);
        long[] regs = Linux.ptraceGetRegs(helperTid);
        regs[3] = iovArea;                 // r12
        regs[2] = runs.count();            // r13
        regs[1] = writeEnd;                // r14
        regs[0] = area + RESULT;           // r15
        regs[GpRegs.IP] = area + LOOP;
        regs[GpRegs.ORIG_AX] = -1;
        Linux.ptraceSetRegs(helperTid, regs);
        Linux.ptraceCont(helperTid, 0);
        running = true;
    }

    /**
     * Looks after the running helper (tracer thread): a stop it should not have (a fault in the loop,
     * a group stop of the process) sends it to its exit path; UNTIL_GONE waits for its end.
     */
    private void tendHelper(boolean untilGone) {
        while (!helperGone) {
            WaitStatus st;
            try {
                st = Linux.waitpid(helperTid, Linux.WALL | (untilGone ? 0 : Linux.WNOHANG));
            } catch (SyscallException e) {
                if (e.errno() == Errno.ECHILD || e.isGone()) {
                    helperGone = true;
                    break;
                }
                throw e;
            }
            if (st.pid() == 0) {
                return; // running
            }
            if (st.gone()) {
                helperGone = true;
                break;
            }
            if (!st.eventStop()) {
                long[] regs = Linux.ptraceGetRegs(helperTid);
                regs[GpRegs.IP] = area + EXIT_PATH;
                regs[GpRegs.ORIG_AX] = -1;
                Linux.ptraceSetRegs(helperTid, regs);
            }
            Linux.ptraceCont(helperTid, 0);
        }
        forgetHelper(tracer, helperTid);
    }

    /**
     * Lets a helper that sits in a stop (parked on its exit path) run its way out and reaps it;
     * false when its end was not seen (its area must then stay mapped: unmapping code a thread may
     * still run would kill the whole process).
     */
    private static boolean endHelper(Tracer tracer, int helperTid) {
        boolean gone = false;
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            boolean resume = true;
            while (System.nanoTime() < deadline) {
                if (resume) {
                    try {
                        Linux.ptraceCont(helperTid, 0);
                    } catch (SyscallException e) {
                        if (!e.isGone()) {
                            throw e;
                        }
                    }
                }
                WaitStatus st = Linux.waitpid(helperTid, Linux.WALL | Linux.WNOHANG);
                if (st.pid() != 0 && st.gone()) {
                    gone = true;
                    break;
                }
                resume = st.pid() != 0; // a stop on its way out: let it go on
                if (!resume) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
            }
        } catch (SyscallException e) {
            if (!e.isGone() && e.errno() != Errno.ECHILD) {
                throw e;
            }
            gone = true;
        }
        forgetHelper(tracer, helperTid);
        return gone;
    }

    /** Drops the helper from the tracer; signals for the process it caught before blocking them go to the process. */
    private static void forgetHelper(Tracer tracer, int helperTid) {
        TracedTask h = tracer.forget(helperTid);
        if (h == null) {
            return;
        }
        for (byte[] info : h.takeDeferredSignals()) {
            try {
                Linux.rtTgsigqueueinfo(h.tgid(), h.tgid(), SigInfo.parse(info).signo(), info);
            } catch (SyscallException e) {
                // the process is gone
            }
        }
    }

    /** Unmaps the helper's area again (a guarded session in the process's own thread). */
    private static void unmapArea(Tracer tracer, int tid, long area) {
        if (area == 0) {
            return;
        }
        try (RemoteSyscalls rs = tracer.remote(tid)) {
            rs.munmap(area, AREA);
        }
    }

    private void closeRead() {
        if (!readClosed) {
            readClosed = true;
            Linux.close(readFd);
        }
    }

    /**
     * Ends the helper if it still exists (its exit path unmaps the iovec array, its exit closes the
     * pipe), closes jcr's read end and unmaps the helper's area: the process is as the drain found it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeRead();
        } finally {
            tracer.run(() -> {
                try {
                    if (!helperGone) {
                        if (running) {
                            tendHelper(true);
                        } else {
                            helperGone = endHelper(tracer, helperTid);
                        }
                    }
                } finally {
                    if (helperGone) {
                        unmapArea(tracer, tid, area);
                    }
                }
            });
        }
    }

    @Override
    public String toString() {
        return "pipe drain of " + tgid + " (helper " + helperTid + ", pipe " + pipeSize + " bytes)";
    }
}
