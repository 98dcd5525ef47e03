package dev.jcr.ptrace;

import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The zero-copy way to move a frozen task's pages into a file, CRIU's way without a parasite: the
 * task itself (by remote syscalls) makes a pipe and vmsplices its own pages into it — the pipe then
 * holds references to the pages, nothing is copied — and jcr, holding the pipe's read end (taken with
 * pidfd_getfd), splices them into the file: the only copy is into the file's page cache, as with a
 * plain write(2). One remote vmsplice moves a pipe's worth (1 MiB, the unprivileged maximum).
 *
 * <p>Leaves nothing behind: both pipe ends and the scratch page are closed/unmapped in the target on
 * {@link #close()}, and the remote session restores the task's registers.
 */
public final class PipeDrain implements AutoCloseable {

    private static final int SYS_CLOSE = 3;
    private static final int SYS_FCNTL = 72;
    private static final int SYS_VMSPLICE = 278;
    private static final int SYS_PIPE2 = 293;
    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_NONBLOCK = 2;

    private final Tracer tracer;
    private final RemoteSyscalls rs;
    private final int targetWrite;
    private final int readFd;
    private final int pipeSize;
    private final long iovArea;
    private final int maxIov;

    private PipeDrain(Tracer tracer, RemoteSyscalls rs, int targetWrite, int readFd, int pipeSize, long iovArea, int maxIov) {
        this.tracer = tracer;
        this.rs = rs;
        this.targetWrite = targetWrite;
        this.readFd = readFd;
        this.pipeSize = pipeSize;
        this.iovArea = iovArea;
        this.maxIov = maxIov;
    }

    /** Opens a drain on traced task TID (which must not have another remote session open). */
    public static PipeDrain open(Tracer tracer, int tid) {
        RemoteSyscalls rs = tracer.remote(tid);
        try {
            long scratch = rs.scratch(2 * RemoteSyscalls.PAGE);
            rs.check("pipe2", SYS_PIPE2, scratch, Linux.O_CLOEXEC);
            ByteBuffer fds = ByteBuffer.wrap(rs.read(scratch, 8)).order(ByteOrder.LITTLE_ENDIAN);
            int r = fds.getInt(0);
            int w = fds.getInt(4);
            int size = (int) rs.syscall(SYS_FCNTL, w, Linux.F_SETPIPE_SZ, maxPipeSize());
            if (size < 0) {
                size = (int) rs.check("fcntl(F_GETPIPE_SZ)", SYS_FCNTL, w, Linux.F_GETPIPE_SZ);
            }
            int mine;
            int pidfd = Linux.pidfdOpen(tracer.task(tid).tgid());
            try {
                mine = Linux.pidfdGetfd(pidfd, r, tid);
            } finally {
                Linux.close(pidfd);
            }
            rs.check("close", SYS_CLOSE, r);
            int maxIov = Math.min(size / RemoteSyscalls.PAGE, RemoteSyscalls.PAGE * 2 / 16);
            return new PipeDrain(tracer, rs, w, mine, size, scratch, maxIov);
        } catch (RuntimeException e) {
            rs.close();
            throw e;
        }
    }

    private static int maxPipeSize() {
        try {
            return Integer.parseInt(java.nio.file.Files.readString(Path.of("/proc/sys/fs/pipe-max-size")).trim());
        } catch (Exception e) {
            return 1 << 20;
        }
    }

    /** Bytes one remote vmsplice can move. */
    public int pipeSize() {
        return pipeSize;
    }

    /**
     * Copies RUNS of the task's process to file descriptor FD at OFFSET, back to back; returns bytes.
     * Runs on the tracer thread as one piece (a thread hop per chunk would cost more than the chunk).
     */
    public long copyTo(PageRuns runs, int fd, long offset) {
        return tracer.call(() -> copyOnTracer(runs, fd, offset));
    }

    private long copyOnTracer(PageRuns runs, int fd, long offset) {
        long off = offset;
        int i = 0;
        long inRun = 0;
        ByteBuffer iov = ByteBuffer.allocate(maxIov * 16).order(ByteOrder.LITTLE_ENDIAN);
        while (i < runs.count()) {
            iov.clear();
            int n = 0;
            long chunk = 0;
            while (i < runs.count() && n < maxIov && chunk < pipeSize) {
                long take = Math.min(runs.len(i) - inRun, pipeSize - chunk);
                iov.putLong(runs.addr(i) + inRun).putLong(take);
                n++;
                chunk += take;
                inRun += take;
                if (inRun == runs.len(i)) {
                    i++;
                    inRun = 0;
                }
            }
            byte[] iovBytes = new byte[n * 16];
            iov.flip();
            iov.get(iovBytes);
            rs.write(iovArea, iovBytes);
            long moved = rs.check("vmsplice", SYS_VMSPLICE, targetWrite, iovArea, n, SPLICE_F_NONBLOCK);
            if (moved != chunk) {
                throw new TraceException(rs.tid(), "vmsplice moved " + moved + " of " + chunk + " bytes");
            }
            while (moved > 0) {
                long s = Linux.spliceToFile(readFd, fd, off, moved, SPLICE_F_MOVE);
                off += s;
                moved -= s;
            }
        }
        return off - offset;
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

    @Override
    public void close() {
        try {
            Linux.close(readFd);
            rs.check("close", SYS_CLOSE, targetWrite);
        } finally {
            rs.close();
        }
    }
}
