package dev.jcr.proc;

import java.util.List;

/**
 * What jcr learned about one open fd beyond its kind, from fdinfo, stat and the net tables. One
 * record per family of kinds, so a driver can pattern-match on exactly the facts it needs.
 */
public sealed interface FdDetail {

    /** Nothing more is known (io_uring, perf_event, bpf …). */
    record None() implements FdDetail {
    }

    /** A file with a path: regular, directory, deleted, FIFO, memfd. Size from stat through the fd. */
    record File(PathLink path, long size) implements FdDetail {
    }

    /** A pipe; two fds with the same inode are the two ends (or copies) of one pipe. */
    record Pipe(long inode) implements FdDetail {
    }

    /**
     * A character or block device, with its /dev name when jcr knows it (else the link path). PTY_INDEX
     * is the pty's number N (/dev/pts/N) for both ends of a pseudo-terminal (a master's from fdinfo's
     * tty-index), -1 for other devices.
     */
    record Device(int major, int minor, String name, int ptyIndex) implements FdDetail {

        public Device(int major, int minor, String name) {
            this(major, minor, name, -1);
        }
    }

    /**
     * A socket found in the net tables. DIAG is the kernel's socket table of the same network
     * namespace (NETLINK_SOCK_DIAG), asked on demand; {@link SocketDiag#NONE} when jcr cannot ask it.
     */
    record Socket(SocketInfo socket, SocketDiag diag) implements FdDetail {

        public Socket(SocketInfo socket) {
            this(socket, SocketDiag.NONE);
        }
    }

    /** An eventfd: its counter and whether it was created with EFD_SEMAPHORE. */
    record Eventfd(long count, boolean semaphore) implements FdDetail {
    }

    /** An epoll instance and the fds it watches. */
    record Epoll(List<EpollTarget> targets) implements FdDetail {
        public Epoll {
            targets = List.copyOf(targets);
        }
    }

    /**
     * One watched file of an epoll instance (fdinfo "tfd: … events: … data: … pos: … ino: … sdev: …"):
     * the fd number it was added under (the kernel keys the registration by file and that number,
     * and reports the number even after it was closed or reused), the events with their
     * EPOLLET/ONESHOT/EXCLUSIVE/WAKEUP flags, the user data, and the watched file's position, inode
     * and device. OPEN is false when the process no longer has that fd number open on a file with
     * that inode (see {@link ProcFs#fds}).
     */
    record EpollTarget(int fd, int events, long data, long pos, long inode, int sdev, boolean open) {

        public EpollTarget(int fd, int events, long data) {
            this(fd, events, data, 0, -1, 0, true);
        }

        public EpollTarget closed() {
            return new EpollTarget(fd, events, data, pos, inode, sdev, false);
        }
    }

    /** An inotify instance and its watches. */
    record Inotify(List<InotifyWatch> watches) implements FdDetail {
        public Inotify {
            watches = List.copyOf(watches);
        }
    }

    /**
     * One inotify watch (fdinfo "inotify wd:… ino:… sdev:… mask:… ignored_mask:… fhandle-bytes:…
     * fhandle-type:… f_handle:…", every number in hex): its watch descriptor, the watched inode and
     * device, the event mask as the program gave it (with IN_ONESHOT, IN_EXCL_UNLINK), the file handle
     * the kernel encodes for the inode (null when its filesystem gives none), and a path for it when
     * jcr found one. The kernel gives no path; {@link ProcFs} looks for the inode among the places the
     * process is known to use (its cwd, its files and their directories, the top-level directories);
     * {@code path} is null when none matched. A restore finds the object again by its handle.
     */
    record InotifyWatch(int wd, long inode, int devMajor, int devMinor, long mask, long ignoredMask, FileHandle handle,
            String path) {

        public InotifyWatch(int wd, long inode, int devMajor, int devMinor, long mask) {
            this(wd, inode, devMajor, devMinor, mask, 0, null, null);
        }

        public InotifyWatch withPath(String p) {
            return new InotifyWatch(wd, inode, devMajor, devMinor, mask, ignoredMask, handle, p);
        }

        /** The device in the kernel's own encoding (major << 20 | minor), as fdinfo and CRIU's s_dev have it. */
        public int sdev() {
            return devMajor << 20 | devMinor;
        }

        /** "/etc (inode 19 on 254:0)" or "inode 19 on 254:0". */
        public String describe() {
            String where = "inode " + inode + " on " + devMajor + ":" + devMinor;
            return path != null ? path + " (" + where + ")" : where;
        }
    }

    /**
     * A file handle as name_to_handle_at(2) makes it and open_by_handle_at(2) takes it: the
     * filesystem's handle type and its opaque bytes (hex, as fdinfo prints them).
     */
    record FileHandle(int type, String hex) {

        public byte[] bytes() {
            return java.util.HexFormat.of().parseHex(hex);
        }
    }

    /**
     * A fanotify group (fdinfo "fanotify flags:… event-flags:…"): its fanotify_init flags (the
     * FAN_CLASS and FAN_REPORT bits, FAN_UNLIMITED_*; not FAN_CLOEXEC/FAN_NONBLOCK, which are the
     * file's), the open flags of the event files it makes, and its marks.
     */
    record Fanotify(long flags, long eventFlags, List<FanotifyMark> marks) implements FdDetail {
        public Fanotify {
            marks = List.copyOf(marks);
        }

        public Fanotify(long flags, List<FanotifyMark> marks) {
            this(flags, 0, marks);
        }
    }

    /** What a fanotify mark is on: an inode, a mount, or a whole filesystem. */
    enum MarkOn { INODE, MOUNT, FILESYSTEM }

    /**
     * One fanotify mark: on an inode (INODE and SDEV, with the inode's file HANDLE), a mount (MNT_ID),
     * or a filesystem (SDEV); its mark flags (FAN_MARK_IGNORED_SURV_MODIFY, FAN_MARK_EVICTABLE …), mask
     * and ignored mask. Unused numbers are -1 (inode, mount) or 0.
     */
    record FanotifyMark(MarkOn on, long inode, int sdev, int mntId, int mflags, long mask, long ignoredMask,
            FileHandle handle) {

        /** An inode mark (INODE &gt;= 0) or a mount mark (MNT_ID) with MASK; the rest zero. */
        public FanotifyMark(long inode, int mntId, long mask) {
            this(inode >= 0 ? MarkOn.INODE : MarkOn.MOUNT, inode, 0, mntId, 0, mask, 0, null);
        }
    }

    /** A signalfd and the signals it accepts. */
    record Signalfd(long sigmask) implements FdDetail {
    }

    /**
     * A timerfd: clock, expirations not yet read, remaining time (relative, also for an absolute
     * timer), period, and the flags it was last armed with (TFD_TIMER_ABSTIME 1, TFD_TIMER_CANCEL_ON_SET 2).
     */
    record Timerfd(int clockId, long ticks, long valueNanos, long intervalNanos, int settimeFlags) implements FdDetail {

        public Timerfd(int clockId, long ticks, long valueNanos, long intervalNanos) {
            this(clockId, ticks, valueNanos, intervalNanos, 0);
        }
    }

    /** A userfaultfd and the features its creator asked for (0 before its UFFDIO_API handshake). */
    record Userfaultfd(long features) implements FdDetail {
    }

    /** A pidfd and the process it refers to (-1 when that process is gone). */
    record Pidfd(long pid) implements FdDetail {
    }

    /** Another anon_inode file; NAME is what follows "anon_inode:". */
    record AnonInode(String name) implements FdDetail {
    }
}
