package dev.jcr.proc;

/**
 * Decides the {@link FdKind} of an fd from the text of its /proc/PID/fd link and, for links that are
 * paths, the file type and device number found by stat through the link. Pure: no I/O.
 */
public final class FdClassifier {

    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;

    private FdClassifier() {
    }

    /** True if the link names a path, so that the reader must stat it to learn the file type. */
    public static boolean isPath(String link) {
        return link.startsWith("/");
    }

    /** The inode N of "socket:[N]" or "pipe:[N]", or -1. */
    public static long bracketInode(String link) {
        int open = link.indexOf(":[");
        if (open < 0 || !link.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(link.substring(open + 2, link.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The kind of a link that is not a path (pipe, socket, anon inode, pidfd). */
    public static FdKind classifyPseudo(String link, SocketTable sockets) {
        if (link.startsWith("pipe:[")) {
            return FdKind.PIPE;
        }
        if (link.startsWith("socket:[")) {
            SocketInfo s = sockets == null ? null : sockets.get(bracketInode(link));
            return s == null ? FdKind.OTHER_SOCKET : s.kind();
        }
        if (link.startsWith("pidfd:")) {
            // kernels with pidfs name pidfds "pidfd:[INODE]"
            return FdKind.PIDFD;
        }
        if (link.startsWith("anon_inode:")) {
            return switch (anonName(link)) {
                case "eventfd" -> FdKind.EVENTFD;
                case "eventpoll" -> FdKind.EVENTPOLL;
                case "inotify" -> FdKind.INOTIFY;
                case "fanotify" -> FdKind.FANOTIFY;
                case "signalfd" -> FdKind.SIGNALFD;
                case "timerfd" -> FdKind.TIMERFD;
                case "pidfd" -> FdKind.PIDFD;
                case "io_uring" -> FdKind.IO_URING;
                case "perf_event" -> FdKind.PERF_EVENT;
                case "userfaultfd" -> FdKind.USERFAULTFD;
                case "bpf-map" -> FdKind.BPF_MAP;
                case "bpf-prog" -> FdKind.BPF_PROG;
                case "bpf_link", "bpf-link" -> FdKind.BPF_LINK;
                default -> FdKind.OTHER_ANON_INODE;
            };
        }
        return FdKind.UNKNOWN;
    }

    /** "anon_inode:[eventfd]" → "eventfd"; "anon_inode:inotify" → "inotify". */
    public static String anonName(String link) {
        String n = link.substring("anon_inode:".length());
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n;
    }

    /** The kind of a path link, given the st_mode and st_rdev found through it. */
    public static FdKind classifyPath(PathLink link, int mode, long rdev) {
        if (link.deleted() && link.path().startsWith("/memfd:")) {
            return FdKind.MEMFD;
        }
        switch (mode & S_IFMT) {
            case S_IFREG:
                return link.deleted() ? FdKind.DELETED_FILE : FdKind.REGULAR;
            case S_IFDIR:
                return FdKind.DIRECTORY;
            case S_IFIFO:
                return FdKind.FIFO;
            case S_IFBLK:
                return FdKind.BLOCK_DEVICE;
            case S_IFCHR: {
                int major = Devices.major(rdev);
                int minor = Devices.minor(rdev);
                if (Devices.isPtySlave(major)) {
                    return FdKind.PTY_SLAVE;
                }
                if (Devices.isPtyMaster(major, minor)) {
                    return FdKind.PTY_MASTER;
                }
                if (Devices.isTty(major, minor)) {
                    return FdKind.TTY;
                }
                return FdKind.CHAR_DEVICE;
            }
            case S_IFSOCK:
                return FdKind.OTHER_SOCKET;
            default:
                return FdKind.UNKNOWN;
        }
    }
}
