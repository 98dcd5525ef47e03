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

    /** PAGEMAP_SCAN for pages that exist, and which of the two ways (a range has one or the other). */
    private static final dev.jcr.sys.PagemapScan.Query EXISTING = new dev.jcr.sys.PagemapScan.Query(0, 0,
            dev.jcr.sys.PagemapScan.PAGE_IS_PRESENT | dev.jcr.sys.PagemapScan.PAGE_IS_SWAPPED,
            dev.jcr.sys.PagemapScan.PAGE_IS_PRESENT | dev.jcr.sys.PagemapScan.PAGE_IS_SWAPPED);
    /** False once PAGEMAP_SCAN was refused (a kernel before 6.7): entries are read instead. */
    private static volatile boolean scanWorks = true;

    /**
     * Appends to RUNS the pages of [START, END) that are present or swapped.
     *
     * <p>Reading the entries costs the kernel 8 bytes per page of the range and jcr a look at each
     * (about 9 ms per GiB); PAGEMAP_SCAN (Linux 6.7+) walks the same page tables and answers with
     * ranges (about 1 ms per GiB). Present ranges are taken from it as they are. The entries of ranges
     * it calls swapped are still read, one by one, as before: its "swapped" also covers the markers a
     * write-protected userfaultfd area leaves where a page was dropped, which are no page at all.
     */
    public void addExisting(long start, long end, PageRuns runs) {
        if (scanWorks) {
            PageRuns found = new PageRuns();
            try {
                dev.jcr.sys.PagemapScan.scan(fd, start, end, EXISTING, r -> {
                    if ((r[2] & dev.jcr.sys.PagemapScan.PAGE_IS_PRESENT) != 0) {
                        found.add(r[0], r[1] - r[0]);
                    } else {
                        readExisting(r[0], r[1], found);
                    }
                });
                for (int i = 0; i < found.count(); i++) {
                    runs.add(found.addr(i), found.len(i));
                }
                return;
            } catch (SyscallException e) {
                if (e.errno() != dev.jcr.sys.Errno.ENOTTY && e.errno() != dev.jcr.sys.Errno.EINVAL) {
                    throw e;
                }
                scanWorks = false;
            }
        }
        readExisting(start, end, runs);
    }

    /** {@link #addExisting} by reading every entry. */
    void readExisting(long start, long end, PageRuns runs) {
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
