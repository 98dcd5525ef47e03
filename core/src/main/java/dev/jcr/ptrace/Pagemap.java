package dev.jcr.ptrace;

import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * /proc/PID/pagemap: one 64-bit entry per virtual page telling whether it exists in RAM (bit 63) or
 * swap (bit 62), whether it is file-backed or shared-anonymous (bit 61) and mapped by this process
 * alone (bit 56). The dump reads only pages that exist. (This kernel has no soft-dirty bit 55.)
 */
public final class Pagemap implements AutoCloseable {

    public static final long PRESENT = 1L << 63;
    public static final long SWAPPED = 1L << 62;
    public static final long FILE_OR_SHARED_ANON = 1L << 61;
    public static final long EXCLUSIVE = 1L << 56;
    public static final long SOFT_DIRTY = 1L << 55;
    private static final int PAGE = RemoteSyscalls.PAGE;
    private static final int BATCH = 64 * 1024; // entries per pread: 512 KiB covers 256 MiB of address space

    private final int pid;
    private final int fd;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BATCH * 8).order(ByteOrder.LITTLE_ENDIAN);

    private Pagemap(int pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    public static Pagemap open(int pid) {
        try {
            return new Pagemap(pid, Linux.open("/proc/" + pid + "/pagemap", Linux.O_RDONLY, 0));
        } catch (SyscallException e) {
            if (e.errno() == 2) {
                throw new NoSuchProcessException(pid);
            }
            throw e;
        }
    }

    /** The entries of the pages of [START, END). */
    public long[] entries(long start, long end) {
        int n = (int) ((end - start) / PAGE);
        long[] out = new long[n];
        int done = 0;
        while (done < n) {
            int k = Math.min(BATCH, n - done);
            buf.clear().limit(k * 8);
            long got = Linux.pread(fd, buf, (start / PAGE + done) * 8L);
            if (got <= 0) {
                break;
            }
            for (int i = 0; i < got / 8; i++) {
                out[done + i] = buf.getLong(i * 8);
            }
            done += (int) (got / 8);
        }
        return out;
    }

    /** Appends to RUNS the pages of [START, END) that are present or swapped. */
    public void addExisting(long start, long end, PageRuns runs) {
        long addr = start;
        while (addr < end) {
            long chunkEnd = Math.min(end, addr + (long) BATCH * PAGE);
            int k = (int) ((chunkEnd - addr) / PAGE);
            buf.clear().limit(k * 8);
            long got = Linux.pread(fd, buf, addr / PAGE * 8L);
            if (got <= 0) {
                return;
            }
            long runStart = -1;
            for (int i = 0; i < got / 8; i++) {
                long e = buf.getLong(i * 8);
                long page = addr + (long) i * PAGE;
                if ((e & (PRESENT | SWAPPED)) != 0) {
                    if (runStart < 0) {
                        runStart = page;
                    }
                } else if (runStart >= 0) {
                    runs.add(runStart, page - runStart);
                    runStart = -1;
                }
            }
            long stop = addr + got / 8 * PAGE;
            if (runStart >= 0) {
                runs.add(runStart, stop - runStart);
            }
            addr = stop;
        }
    }

    /** The existing pages of [START, END) as runs. */
    public PageRuns existing(long start, long end) {
        PageRuns r = new PageRuns();
        addExisting(start, end, r);
        return r;
    }

    public static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }

    public static boolean swapped(long entry) {
        return (entry & SWAPPED) != 0;
    }

    public int pid() {
        return pid;
    }

    @Override
    public void close() {
        Linux.close(fd);
    }
}
