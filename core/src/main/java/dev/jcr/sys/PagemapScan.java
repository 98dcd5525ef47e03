package dev.jcr.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.function.Consumer;

/**
 * The PAGEMAP_SCAN ioctl of /proc/PID/pagemap (Linux 6.7+): page ranges by category (present,
 * swapped, written since write-protected …), and optionally write-protecting the pages it reports
 * in the same walk ({@link #WP_MATCHING}), so that no write can fall between reading the "written"
 * state and resetting it.
 */
public final class PagemapScan {

    public static final long PAGE_IS_WPALLOWED = 1 << 0;
    public static final long PAGE_IS_WRITTEN = 1 << 1;
    public static final long PAGE_IS_FILE = 1 << 2;
    public static final long PAGE_IS_PRESENT = 1 << 3;
    public static final long PAGE_IS_SWAPPED = 1 << 4;
    public static final long PAGE_IS_PFNZERO = 1 << 5;

    /** Write-protect the pages that match. */
    public static final long WP_MATCHING = 1 << 0;
    /** Fail (EPERM) when a page of the range is not under async write protection. */
    public static final long CHECK_WPASYNC = 1 << 1;

    private static final int ARG_SIZE = 96;
    private static final long PAGEMAP_SCAN = (3L << 30) | ((long) ARG_SIZE << 16) | ('f' << 8) | 16;
    private static final int REGIONS = 4096;

    /** What a scan asks for: pages with all of ALL, at least one of ANY_OF (0: no condition). */
    public record Query(long flags, long all, long anyOf, long returned) {
    }

    private PagemapScan() {
    }

    /**
     * Scans [START, END) of the pagemap open as FD; each matching range goes to OUT as {start, end,
     * categories} (ascending). Loops until the whole range is walked.
     */
    public static void scan(int fd, long start, long end, Query q, Consumer<long[]> out) {
        Memory arg = new Memory(ARG_SIZE);
        Memory vec = new Memory((long) REGIONS * 24);
        long from = start;
        // an answer can end with walk_end below the last range it reported, and the next call then
        // reports that part again (seen on 6.18, an area of every other page: 768 ranges up to
        // ...7ff000, walk_end ...600000); what is below SEEN was reported already and is left out
        long seen = start;
        while (Long.compareUnsigned(from, end) < 0) {
            arg.clear();
            arg.setLong(0, ARG_SIZE);
            arg.setLong(8, q.flags());
            arg.setLong(16, from);
            arg.setLong(24, end);
            arg.setLong(40, Pointer.nativeValue(vec));
            arg.setLong(48, REGIONS);
            arg.setLong(72, q.all());
            arg.setLong(80, q.anyOf());
            arg.setLong(88, q.returned());
            long n = Linux.syscall("ioctl(PAGEMAP_SCAN)", 0, Linux.SYS_IOCTL, fd, PAGEMAP_SCAN, Pointer.nativeValue(arg),
                    0, 0, 0);
            for (int i = 0; i < n; i++) {
                long lo = vec.getLong(i * 24L);
                long hi = vec.getLong(i * 24L + 8);
                if (Long.compareUnsigned(lo, seen) < 0) {
                    lo = seen;
                }
                if (Long.compareUnsigned(lo, hi) < 0) {
                    out.accept(new long[] {lo, hi, vec.getLong(i * 24L + 16)});
                    seen = hi;
                }
            }
            long walked = arg.getLong(32);
            if (Long.compareUnsigned(walked, from) <= 0) {
                throw new SyscallException(String.format("ioctl(PAGEMAP_SCAN) made no progress at 0x%x", from), 0,
                        Errno.EINVAL);
            }
            from = walked;
        }
    }
}
