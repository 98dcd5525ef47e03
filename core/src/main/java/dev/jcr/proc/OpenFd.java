package dev.jcr.proc;

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
 */
public record OpenFd(int fd, String link, FdKind kind, int flags, long position, int mntId, long inode,
        FdDetail detail) {

    public static final int O_ACCMODE = 03;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

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
