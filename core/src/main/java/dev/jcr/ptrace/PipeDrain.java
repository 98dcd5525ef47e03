package dev.jcr.ptrace;

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
 * <p>The helper runs a dozen instructions jcr writes into a page it maps in the process: a loop of
 * blocking vmsplice calls over an iovec array of all the pages to copy. So the whole copy takes no
 * ptrace round trip per chunk: the pipe itself paces the helper (vmsplice sleeps while the pipe is
 * full, jcr's splice wakes it), and the helper and jcr run on two CPUs at once. The pipe is as large
 * as an unprivileged process may make it (/proc/sys/fs/pipe-max-size).
 *
 * <p>Why a helper thread and not one of the process's threads: a task driven by jcr has borrowed
 * registers, and if jcr is killed meanwhile (the kernel then detaches it) it would go on with them.
 * The helper has no state to lose: the code after its {@code syscall} instruction closes the pipe's
 * write end and ends the helper ({@code exit}, not {@code exit_group}), and that is where it goes
 * whenever jcr lets go of it — at the end of the loop, at {@link #close()}, or because jcr died (its
 * vmsplice then fails with EPIPE). It blocks every signal first, so signals for the process go to
 * its real threads, and the SIGPIPE of a vmsplice into a pipe whose reader died stays pending on the
 * helper and vanishes with it. The process's own threads are driven only briefly: to map the page,
 * make the pipe and clone3 the helper, and at the end to unmap the page.
 *
 * <p>Pages vmspliced without SPLICE_F_GIFT stay the process's pages: every byte is spliced into the
 * file before {@link #copy} returns, while the process is still frozen. The loop stops at the first
 * page it cannot pin (e.g. PROT_NONE): {@link #copy} then reports how far it got and the caller
 * copies the rest another way ({@link RemoteMemory}).
 */
public final class PipeDrain implements AutoCloseable {

    private static final int SYS_CLOSE = 3;
    private static final int SYS_RT_SIGPROCMASK = 14;
    private static final int SYS_FCNTL = 72;
    private static final int SYS_PIPE2 = 293;
    private static final int SYS_CLONE3 = 435;
    private static final long CLONE_THREAD_FLAGS = 0x100 /* VM */ | 0x200 /* FS */ | 0x400 /* FILES */
            | 0x800 /* SIGHAND */ | 0x10000 /* THREAD */ | 0x40000 /* SYSVSEM */;
    private static final int PAGE = RemoteSyscalls.PAGE;
    /** How long the splicer waits for data before it looks after the helper (a stop to answer?). */
    private static final int POLL_MS = 100;

    // the helper's area in the target: code page, stack, then a page for arguments, signal mask, results
    private static final int EXIT_PATH = 2;
    private static final int LOOP = 0x20;
    private static final int STACK_TOP = 3 * PAGE;
    private static final int ARGS = 3 * PAGE;
    private static final int MASK = ARGS + 256;
    private static final int RESULT = ARGS + 512;
    private static final int AREA = 4 * PAGE;

    /**
     * The helper's code (x86-64, assembled from the listing beside each line). Offset 0: the
     * {@code syscall} where jcr's remote syscalls run; EXIT_PATH: close(write end); exit(0); LOOP:
     * r12 = iovec array, r13 = iovecs left, r14 = write end, r15 = {bytes moved, last result}.
     */
    private static final int[] CODE = {
        0x0f, 0x05,                                     // 00 syscall
        0xb8, 0x03, 0x00, 0x00, 0x00,                   // 02 exit: mov $3 (close), %eax
        0xbf, 0x7f, 0x7f, 0x7f, 0x7f,                   // 07       mov $WRITE_END, %edi   (patched)
        0x0f, 0x05,                                     // 0c       syscall
        0xb8, 0x3c, 0x00, 0x00, 0x00,                   // 0e       mov $60 (exit), %eax
        0x31, 0xff,                                     // 13       xor %edi, %edi
        0x0f, 0x05,                                     // 15       syscall
        0xeb, 0xe9,                                     // 17       jmp exit
        0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00,       // 19       nop
        0x4d, 0x85, 0xed,                               // 20 loop: test %r13, %r13
        0x74, 0x4f,                                     // 23       jz ok
        0x4c, 0x89, 0xea,                               // 25       mov %r13, %rdx
        0x48, 0x81, 0xfa, 0x00, 0x04, 0x00, 0x00,       // 28       cmp $1024, %rdx
        0x76, 0x05,                                     // 2f       jbe 1f
        0xba, 0x00, 0x04, 0x00, 0x00,                   // 31       mov $1024, %edx
        0xb8, 0x16, 0x01, 0x00, 0x00,                   // 36 1:    mov $278 (vmsplice), %eax
        0x4c, 0x89, 0xf7,                               // 3b       mov %r14, %rdi
        0x4c, 0x89, 0xe6,                               // 3e       mov %r12, %rsi
        0x45, 0x31, 0xd2,                               // 41       xor %r10d, %r10d   (flags 0: block while full)
        0x0f, 0x05,                                     // 44       syscall
        0x48, 0x85, 0xc0,                               // 46       test %rax, %rax
        0x7e, 0x2b,                                     // 49       jle fail
        0x49, 0x01, 0x07,                               // 4b       add %rax, (%r15)
        0x49, 0x8b, 0x4c, 0x24, 0x08,                   // 4e adv:  mov 8(%r12), %rcx   (consume rax bytes)
        0x48, 0x39, 0xc8,                               // 53       cmp %rcx, %rax
        0x72, 0x11,                                     // 56       jb partial
        0x48, 0x29, 0xc8,                               // 58       sub %rcx, %rax
        0x49, 0x83, 0xc4, 0x10,                         // 5b       add $16, %r12
        0x49, 0xff, 0xcd,                               // 5f       dec %r13
        0x48, 0x85, 0xc0,                               // 62       test %rax, %rax
        0x75, 0xe7,                                     // 65       jnz adv
        0xeb, 0xb7,                                     // 67       jmp loop
        0x49, 0x01, 0x04, 0x24,                         // 69 partial: add %rax, (%r12)
        0x49, 0x29, 0x44, 0x24, 0x08,                   // 6d       sub %rax, 8(%r12)
        0xeb, 0xac,                                     // 72       jmp loop
        0x31, 0xc0,                                     // 74 ok:   xor %eax, %eax
        0x49, 0x89, 0x47, 0x08,                         // 76 fail: mov %rax, 8(%r15)
        0xeb, 0x86,                                     // 7a       jmp exit
    };

    private final Tracer tracer;
    private final int tid;
    private final int tgid;
    private final long area;
    private final int readFd;
    /** The pipe's write end in the target (its number is also in the helper's exit path). */
    private final int writeEnd;
    private final int pipeSize;
    private final RemoteSyscalls helper;
    private final int helperTid;
    private long iovArea;
    private long iovLen;
    private boolean helperGone;
    private boolean used;
    /** The helper runs its loop (no longer sits in a syscall stop). */
    private boolean running;
    private boolean readClosed;
    private boolean closed;

    private PipeDrain(Tracer tracer, int tid, int tgid, long area, int readFd, int writeEnd, int pipeSize,
            RemoteSyscalls helper) {
        this.writeEnd = writeEnd;
        this.tracer = tracer;
        this.tid = tid;
        this.tgid = tgid;
        this.area = area;
        this.readFd = readFd;
        this.pipeSize = pipeSize;
        this.helper = helper;
        this.helperTid = helper.tid();
    }

    /**
     * Opens a drain on the process of traced task TID (stopped, with no other remote session open):
     * maps the helper's page, makes the pipe, adds the helper thread. Fails with a
     * {@link dev.jcr.JcrException} when the process does not let it (e.g. a seccomp filter refusing
     * clone3); the process is then as it was.
     */
    public static PipeDrain open(Tracer tracer, int tid) {
        return tracer.call(() -> openOnTracer(tracer, tid));
    }

    private static PipeDrain openOnTracer(Tracer tracer, int tid) {
        TracedTask task = tracer.require(tid);
        int[] target = {-1, -1}; // read and write end in the target, while the target must close them
        int mine = -1;
        long area = 0;
        int size;
        boolean ok = false;
        RemoteSyscalls helper = null;
        try {
            try (RemoteSyscalls rs = tracer.remote(tid)) {
                area = rs.mmap(0, AREA, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
                rs.check("pipe2", SYS_PIPE2, area + ARGS, Linux.O_CLOEXEC);
                ByteBuffer fds = le(rs.read(area + ARGS, 8));
                target[0] = fds.getInt(0);
                target[1] = fds.getInt(4);
                long got = rs.syscall(SYS_FCNTL, target[1], Linux.F_SETPIPE_SZ, maxPipeSize());
                if (got < 0) {
                    got = rs.check("fcntl(F_GETPIPE_SZ)", SYS_FCNTL, target[1], Linux.F_GETPIPE_SZ);
                }
                size = (int) got;
                int pidfd = Linux.pidfdOpen(task.tgid());
                try {
                    mine = Linux.pidfdGetfd(pidfd, target[0], tid);
                } finally {
                    Linux.close(pidfd);
                }
                rs.check("close", SYS_CLOSE, target[0]);
                target[0] = -1;
                rs.write(area, code(target[1]));
                rs.write(area + MASK, le(new byte[8]).putLong(0, -1L).array());
                ByteBuffer args = le(new byte[88]);
                args.putLong(0, CLONE_THREAD_FLAGS).putLong(40, area + PAGE).putLong(48, STACK_TOP - PAGE);
                rs.write(area + ARGS, args.array());
                rs.mprotect(area, PAGE, Linux.PROT_READ | Linux.PROT_EXEC);
            }
            // clone3 from the helper's page, so that the new thread's first instruction is its exit path;
            // TRACECLONE makes it ours, stopped before it runs at all
            Linux.ptraceSetOptions(tid, Tracer.BASE_OPTIONS | Linux.PTRACE_O_TRACECLONE);
            int child;
            try (RemoteSyscalls rs = new RemoteSyscalls(tracer, task, area)) {
                rs.check("clone3", SYS_CLONE3, area + ARGS, 88);
                List<Integer> born = rs.newChildren();
                if (born.size() != 1) {
                    throw new TraceException(tid, "clone3 of the drain's helper thread gave " + born);
                }
                child = born.get(0);
            } finally {
                Linux.ptraceSetOptions(tid, Tracer.BASE_OPTIONS);
            }
            int writeEnd = target[1];
            target[1] = -1; // from now on the helper's exit path closes the write end
            helper = new RemoteSyscalls(tracer, tracer.require(child), area);
            helper.check("rt_sigprocmask", SYS_RT_SIGPROCMASK, 2 /* SIG_SETMASK */, area + MASK, 0, 8);
            PipeDrain d = new PipeDrain(tracer, tid, task.tgid(), area, mine, writeEnd, size, helper);
            ok = true;
            return d;
        } finally {
            if (!ok) {
                if (mine >= 0) {
                    Linux.close(mine);
                }
                if (helper != null) {
                    endHelper(tracer, helper.tid(), area);
                }
                cleanTarget(tracer, tid, target, area, AREA, 0, 0);
            }
        }
    }

    private static byte[] code(int writeEnd) {
        byte[] b = new byte[CODE.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) CODE[i];
        }
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, writeEnd);
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
                    break; // end of file: the helper stopped early (and closed the write end)
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
        return done;
    }

    /** Writes the iovecs into the process, points the helper at its loop and lets it run. */
    private void startLoop(PageRuns runs) {
        long bytes = (long) runs.count() * 16;
        iovLen = (bytes + PAGE - 1) / PAGE * PAGE;
        iovArea = helper.mmap(0, iovLen, Linux.PROT_READ | Linux.PROT_WRITE, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        int per = 1 << 16;
        for (int first = 0; first < runs.count(); first += per) {
            int n = Math.min(per, runs.count() - first);
            ByteBuffer b = le(new byte[n * 16]);
            for (int i = 0; i < n; i++) {
                b.putLong(runs.addr(first + i)).putLong(runs.len(first + i));
            }
            helper.write(iovArea + (long) first * 16, b.array());
        }
        helper.write(area + RESULT, new byte[16]);
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

    /** Lets a helper that sits in a syscall stop run its way out (close the write end, exit) and reaps it. */
    private static void endHelper(Tracer tracer, int helperTid, long area) {
        try {
            long[] regs = Linux.ptraceGetRegs(helperTid);
            regs[GpRegs.IP] = area + EXIT_PATH;
            regs[GpRegs.ORIG_AX] = -1;
            Linux.ptraceSetRegs(helperTid, regs);
            Linux.ptraceCont(helperTid, 0);
            while (!Linux.waitpid(helperTid, Linux.WALL).gone()) {
                Linux.ptraceCont(helperTid, 0);
            }
        } catch (SyscallException e) {
            if (!e.isGone() && e.errno() != Errno.ECHILD) {
                throw e;
            }
        }
        forgetHelper(tracer, helperTid);
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

    /** Closes pipe ends left in the target (after a failed open) and unmaps the helper's areas. */
    private static void cleanTarget(Tracer tracer, int tid, int[] fds, long area, long areaLen, long iovArea, long iovLen) {
        if (area == 0 && fds[0] < 0 && fds[1] < 0) {
            return;
        }
        try (RemoteSyscalls rs = tracer.remote(tid)) {
            for (int fd : fds) {
                if (fd >= 0) {
                    rs.syscall(SYS_CLOSE, fd);
                }
            }
            if (iovArea != 0) {
                rs.munmap(iovArea, iovLen);
            }
            if (area != 0) {
                rs.munmap(area, areaLen);
            }
        }
    }

    private void closeRead() {
        if (!readClosed) {
            readClosed = true;
            Linux.close(readFd);
        }
    }

    /**
     * Ends the helper if it still exists (its exit path closes the write end), closes jcr's read end
     * and unmaps the helper's areas: the process is as the drain found it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tracer.run(() -> {
                try {
                    if (!helperGone) {
                        if (running) {
                            tendHelper(true);
                        } else {
                            endHelper(tracer, helperTid, area);
                            helperGone = true;
                        }
                    }
                } finally {
                    cleanTarget(tracer, tid, new int[] {-1, -1}, area, AREA, iovArea, iovLen);
                }
            });
        } finally {
            closeRead();
        }
    }

    @Override
    public String toString() {
        return "pipe drain of " + tgid + " (helper " + helperTid + ", pipe " + pipeSize + " bytes)";
    }
}
