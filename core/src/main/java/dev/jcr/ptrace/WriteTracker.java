package dev.jcr.ptrace;

import dev.jcr.image.PageRanges;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.PagemapScan;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.Userfaultfd;

/**
 * Which pages of a process were written since a point in time, without soft-dirty bits: the
 * process's memory is write-protected in userfaultfd's asynchronous mode (Linux 6.7+), where a write
 * to a protected page is never reported to anyone — the kernel just lifts the protection of that page
 * and lets the write go on — and PAGEMAP_SCAN then lists the pages whose protection is gone
 * ({@code PAGE_IS_WRITTEN}), re-protecting them in the same walk.
 *
 * <p>The userfaultfd must be created by the process itself (it acts on its creator's memory), so jcr
 * makes one with a remote {@code userfaultfd(2)} in a frozen thread and moves it to a high descriptor
 * number; everything else — the API handshake, registering areas, scanning — jcr does from outside,
 * on its own duplicate (pidfd_getfd) and on {@code /proc/PID/pagemap}: no other borrowed registers.
 * The process keeps the descriptor, which holds the tracking alive between dumps (jcr does not run
 * between them). It is harmless there: in async mode no fault ever waits for a reader, so a process
 * whose jcr died (or never comes back) runs on exactly as before; the descriptor is close-on-exec,
 * and children forked later inherit a copy that tracks nothing of theirs (fork drops registrations).
 * jcr recognises it by its feature set ({@link #isTracker}), leaves it out of images and closes it
 * when tracking ends.
 *
 * <p>Only pages present when protected carry the protection; pages that appear later (faulted in,
 * swapped in under a new area) count as written, as do areas not registered — the safe direction.
 */
public final class WriteTracker implements AutoCloseable {

    /**
     * The features jcr asks for: async write-protect (and unpopulated-page support, which the kernel
     * requires for PAGEMAP_SCAN on anonymous memory), plus two that change nothing in async mode but
     * make the set jcr's signature among userfaultfds.
     */
    public static final long FEATURES = Userfaultfd.FEATURE_WP_ASYNC | Userfaultfd.FEATURE_WP_UNPOPULATED
            | Userfaultfd.FEATURE_EXACT_ADDRESS | Userfaultfd.FEATURE_THREAD_ID;

    private static final int SYS_CLOSE = 3;
    private static final int SYS_FCNTL = 72;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final PagemapScan.Query COVERAGE = new PagemapScan.Query(0, 0, 0, PagemapScan.PAGE_IS_WPALLOWED);
    private static final long EXISTING = PagemapScan.PAGE_IS_PRESENT | PagemapScan.PAGE_IS_SWAPPED;

    private final int pid;
    private final int targetFd;
    private final int fd;
    private final int pagemap;

    private WriteTracker(int pid, int targetFd, int fd, int pagemap) {
        this.pid = pid;
        this.targetFd = targetFd;
        this.fd = fd;
        this.pagemap = pagemap;
    }

    /** True for the features fdinfo shows of a userfaultfd jcr made (the kernel's "initialised" bit aside). */
    public static boolean isTracker(long fdinfoFeatures) {
        return (fdinfoFeatures & ~Userfaultfd.FEATURE_INITIALIZED) == FEATURES;
    }

    /**
     * Makes a tracker inside the frozen process of session RS (its thread creates the userfaultfd);
     * the descriptor goes to the lowest free number from FLOOR up (kept where it is when none is free).
     * Fails with {@link SyscallException} when the kernel lacks async write-protect; the process is then
     * left without the descriptor.
     */
    public static WriteTracker create(RemoteSyscalls rs, int pid, int floor) {
        int made = (int) rs.check("userfaultfd", Userfaultfd.SYS_USERFAULTFD,
                Linux.O_CLOEXEC | Linux.O_NONBLOCK | Userfaultfd.USER_MODE_ONLY);
        int targetFd = made;
        int mine = -1;
        boolean ok = false;
        try {
            mine = take(pid, made);
            Userfaultfd.api(mine, FEATURES);
            if (floor > made) {
                long high = rs.syscall(SYS_FCNTL, made, F_DUPFD_CLOEXEC, floor);
                if (high >= 0) {
                    rs.syscall(SYS_CLOSE, made);
                    targetFd = (int) high;
                }
            }
            WriteTracker t = new WriteTracker(pid, targetFd, mine, openPagemap(pid));
            ok = true;
            return t;
        } finally {
            if (!ok) {
                if (mine >= 0) {
                    Linux.close(mine);
                }
                rs.syscall(SYS_CLOSE, targetFd);
            }
        }
    }

    /** The tracker PID holds as descriptor TARGET_FD (which must be one: see {@link #isTracker}). */
    public static WriteTracker attach(int pid, int targetFd) {
        int mine = take(pid, targetFd);
        try {
            return new WriteTracker(pid, targetFd, mine, openPagemap(pid));
        } catch (RuntimeException e) {
            Linux.close(mine);
            throw e;
        }
    }

    /** Closes descriptor FD of the frozen process of session RS (a tracker that is no longer wanted). */
    public static void closeInTarget(RemoteSyscalls rs, int fd) {
        rs.syscall(SYS_CLOSE, fd);
    }

    private static int take(int pid, int targetFd) {
        int pidfd = Linux.pidfdOpen(pid);
        try {
            return Linux.pidfdGetfd(pidfd, targetFd, pid);
        } finally {
            Linux.close(pidfd);
        }
    }

    private static int openPagemap(int pid) {
        try {
            return Linux.open("/proc/" + pid + "/pagemap", Linux.O_RDONLY, 0);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new NoSuchProcessException(pid);
            }
            throw e;
        }
    }

    public int pid() {
        return pid;
    }

    /** The descriptor number the process holds the tracker under. */
    public int targetFd() {
        return targetFd;
    }

    /** The parts of [START, END) under async write protection (registered with a tracker of this process). */
    public PageRanges covered(long start, long end) {
        PageRanges.Builder b = new PageRanges.Builder();
        PagemapScan.scan(pagemap, start, end, COVERAGE, r -> {
            if ((r[2] & PagemapScan.PAGE_IS_WPALLOWED) != 0) {
                b.add(r[0], r[1]);
            }
        });
        return b.build();
    }

    /** Registers [START, END) for write tracking; false when the kernel refuses that area (EINVAL, EPERM). */
    public boolean register(long start, long end) {
        try {
            Userfaultfd.register(fd, start, end - start, Userfaultfd.REGISTER_MODE_WP);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.EPERM || e.errno() == Errno.EBUSY) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The existing pages of [START, END) (a covered range) written since they were last protected;
     * with REPROTECT they are protected again in the same walk. Only existing pages are protected:
     * protecting holes would make the kernel fill page tables with markers for every empty page.
     */
    public PageRanges written(long start, long end, boolean reprotect) {
        PageRanges.Builder b = new PageRanges.Builder();
        PagemapScan.Query q = new PagemapScan.Query(
                PagemapScan.CHECK_WPASYNC | (reprotect ? PagemapScan.WP_MATCHING : 0),
                PagemapScan.PAGE_IS_WRITTEN, EXISTING, PagemapScan.PAGE_IS_WRITTEN);
        PagemapScan.scan(pagemap, start, end, q, r -> b.add(r[0], r[1]));
        return b.build();
    }

    @Override
    public void close() {
        Linux.close(fd);
        Linux.close(pagemap);
    }

    @Override
    public String toString() {
        return "write tracker of " + pid + " (fd " + targetFd + ")";
    }
}
