package dev.jcr.proc;

import dev.jcr.sys.FileCalls;
import java.util.List;

/**
 * One open file descriptor of a process: /proc/PID/fd/N (the link), /proc/PID/fdinfo/N (flags,
 * position, mount, kind-specific lines) and what the link leads to.
 *
 * @param fd       the descriptor number
 * @param link     the raw link text, e.g. "pipe:[1234]", "/tmp/x (deleted)", "anon_inode:[eventfd]"
 * @param kind     what the fd refers to
 * @param flags    open flags (fdinfo "flags", octal: O_ACCMODE, O_APPEND, O_NONBLOCK, O_CLOEXEC …)
 * @param position file position (fdinfo "pos")
 * @param mntId    mount id (fdinfo "mnt_id")
 * @param inode    inode number (fdinfo "ino")
 * @param detail   kind-specific facts
 * @param locks    the locks fdinfo lists for it (flock/OFD/lease of its description, POSIX ones set through it)
 * @param owner    its F_SETOWN owner and signal, read (through a duplicate of the fd) only where they act: with
 *                 O_ASYNC or a lease; null otherwise or when jcr may not duplicate the fd
 */
public record OpenFd(int fd, String link, FdKind kind, int flags, long position, int mntId, long inode,
        FdDetail detail, List<FileLock> locks, FileCalls.Owner owner) {

    public OpenFd {
        locks = List.copyOf(locks);
    }

    /** An fd without locks and with no owner read. */
    public OpenFd(int fd, String link, FdKind kind, int flags, long position, int mntId, long inode, FdDetail detail) {
        this(fd, link, kind, flags, position, mntId, inode, detail, List.of(), null);
    }

    /** The same fd with DETAIL instead. */
    public OpenFd withDetail(FdDetail d) {
        return new OpenFd(fd, link, kind, flags, position, mntId, inode, d, locks, owner);
    }

    public static final int O_ACCMODE = 03;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final int O_ASYNC = 020000;

    /** "fd 7": how a person names this resource. */
    public String label() {
        return "fd " + fd;
    }

    /** "r", "w" or "rw". */
    public String accessMode() {
        return switch (flags & O_ACCMODE) {
            case 0 -> "r";
            case O_WRONLY -> "w";
            default -> "rw";
        };
    }
}
