package dev.jcr.sys;

import dev.jcr.JcrException.Kind;
import java.util.Map;

/** errno numbers of x86_64 Linux as names (ESRCH, EPERM …) and the {@link Kind} each one means to a user. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int ENOTTY = 25;
    public static final int EOPNOTSUPP = 95;
    public static final int ESTALE = 116;
    public static final int EADDRINUSE = 98;
    public static final int ECONNREFUSED = 111;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(6, "ENXIO"), Map.entry(7, "E2BIG"), Map.entry(8, "ENOEXEC"),
            Map.entry(9, "EBADF"), Map.entry(10, "ECHILD"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
            Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"),
            Map.entry(18, "EXDEV"), Map.entry(19, "ENODEV"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"),
            Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"), Map.entry(24, "EMFILE"), Map.entry(25, "ENOTTY"),
            Map.entry(27, "EFBIG"), Map.entry(28, "ENOSPC"), Map.entry(29, "ESPIPE"), Map.entry(30, "EROFS"),
            Map.entry(32, "EPIPE"), Map.entry(34, "ERANGE"), Map.entry(36, "ENAMETOOLONG"),
            Map.entry(38, "ENOSYS"), Map.entry(88, "ENOTSOCK"), Map.entry(90, "EMSGSIZE"),
            Map.entry(93, "EPROTONOSUPPORT"), Map.entry(95, "EOPNOTSUPP"), Map.entry(97, "EAFNOSUPPORT"),
            Map.entry(98, "EADDRINUSE"), Map.entry(99, "EADDRNOTAVAIL"), Map.entry(104, "ECONNRESET"),
            Map.entry(105, "ENOBUFS"), Map.entry(106, "EISCONN"), Map.entry(107, "ENOTCONN"),
            Map.entry(111, "ECONNREFUSED"), Map.entry(116, "ESTALE"), Map.entry(122, "EDQUOT"));

    private Errno() {
    }

    /** "ESRCH" for 3; "errno 321" for numbers without a name here. */
    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** What an errno means to a person: a vanished process, a lack of privilege, an I/O failure, or a bug. */
    public static Kind kind(int errno) {
        switch (errno) {
            case ESRCH:
                return Kind.NO_SUCH_PROCESS;
            case EPERM:
            case EACCES:
                return Kind.PERMISSION;
            case EIO:
            case ENOSPC:
            case 122: // EDQUOT
            case 27: // EFBIG
            case 30: // EROFS
                return Kind.IO;
            case EBUSY:
            case EEXIST:
            case EADDRINUSE:
                return Kind.CONFLICT;
            default:
                return Kind.INTERNAL;
        }
    }
}
