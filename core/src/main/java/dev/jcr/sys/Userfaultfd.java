package dev.jcr.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * userfaultfd(2) ioctls on a descriptor jcr holds (its own, or one taken from a target with
 * pidfd_getfd: registration acts on the mm of the process that created the descriptor, not on the
 * caller's, so jcr can register a target's memory from outside once the target made the descriptor).
 */
public final class Userfaultfd {

    public static final int SYS_USERFAULTFD = 323;
    /** Flag of userfaultfd(2): handle user-mode faults only; allowed without privilege (Linux 5.11+). */
    public static final int USER_MODE_ONLY = 1;
    public static final long API = 0xAA;

    public static final long FEATURE_THREAD_ID = 1L << 8;
    public static final long FEATURE_EXACT_ADDRESS = 1L << 11;
    public static final long FEATURE_WP_UNPOPULATED = 1L << 13;
    public static final long FEATURE_WP_ASYNC = 1L << 15;
    /** Set by the kernel in fdinfo once UFFDIO_API succeeded (not a feature one asks for). */
    public static final long FEATURE_INITIALIZED = 1L << 31;

    public static final long REGISTER_MODE_WP = 1L << 1;

    // _IOWR(0xAA, nr, struct): dir 3 << 30 | size << 16 | type << 8 | nr
    private static final long UFFDIO_API = ioWR(0x3F, 24);
    private static final long UFFDIO_REGISTER = ioWR(0x00, 32);
    private static final long UFFDIO_UNREGISTER = (2L << 30) | (16L << 16) | (0xAAL << 8) | 0x01; // _IOR

    private Userfaultfd() {
    }

    private static long ioWR(int nr, int size) {
        return (3L << 30) | ((long) size << 16) | (0xAAL << 8) | nr;
    }

    /** UFFDIO_API asking for FEATURES; returns the features the kernel supports. Fails (EINVAL) if it lacks one. */
    public static long api(int fd, long features) {
        Memory m = new Memory(24);
        m.setLong(0, API);
        m.setLong(8, features);
        m.setLong(16, 0);
        ioctl(fd, UFFDIO_API, m, "UFFDIO_API");
        return m.getLong(8);
    }

    /** UFFDIO_REGISTER of [START, START+LEN) in MODE. */
    public static void register(int fd, long start, long len, long mode) {
        Memory m = new Memory(32);
        m.setLong(0, start);
        m.setLong(8, len);
        m.setLong(16, mode);
        m.setLong(24, 0);
        ioctl(fd, UFFDIO_REGISTER, m, String.format("UFFDIO_REGISTER(0x%x+0x%x)", start, len));
    }

    /** UFFDIO_UNREGISTER of [START, START+LEN). */
    public static void unregister(int fd, long start, long len) {
        Memory m = new Memory(16);
        m.setLong(0, start);
        m.setLong(8, len);
        ioctl(fd, UFFDIO_UNREGISTER, m, "UFFDIO_UNREGISTER");
    }

    /** A userfaultfd of jcr's own process (for probing what the kernel supports). */
    public static int create(int flags) {
        return (int) Linux.syscall("userfaultfd", 0, SYS_USERFAULTFD, flags, 0, 0, 0, 0, 0);
    }

    static void ioctl(int fd, long request, Memory arg, String name) {
        Linux.syscall("ioctl(" + name + ")", 0, Linux.SYS_IOCTL, fd, request, Pointer.nativeValue(arg), 0, 0, 0);
    }
}
