package dev.jcr.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Syscalls on jcr's own file descriptions that need a struct or a raw call: sparse-file scans
 * (SEEK_DATA/SEEK_HOLE), timestamps (utimensat), the F_SETOWN owner (F_GETOWN_EX, F_GETOWNER_UIDS,
 * F_GETSIG and their setters) and the per-thread uid switch the owner needs (a raw setresuid changes
 * only the calling thread, unlike glibc's, which changes every thread of jcr).
 */
public final class FileCalls {

    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int O_NOATIME = 01000000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_ASYNC = 020000;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_SETSIG = 10;
    public static final int F_GETSIG = 11;
    public static final int F_SETOWN_EX = 15;
    public static final int F_GETOWN_EX = 16;
    public static final int F_GETOWNER_UIDS = 17;

    private static final int SYS_LSEEK = 8;
    private static final int SYS_SETRESUID = 117;
    private static final int SYS_GETRESUID = 118;
    private static final int SYS_FCNTL = 72;
    private static final int SYS_UTIMENSAT = 280;
    private static final int ENXIO = 6;

    private FileCalls() {
    }

    /** lseek(FD, OFF, WHENCE) for SEEK_DATA/SEEK_HOLE: -1 when nothing of that kind follows OFF (ENXIO). */
    public static long seek(int fd, long off, int whence) {
        try {
            return Linux.syscall("lseek(fd " + fd + ")", 0, SYS_LSEEK, fd, off, whence, 0, 0, 0);
        } catch (SyscallException e) {
            if (e.errno() == ENXIO) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * Opens PATH with FLAGS plus O_NOATIME, so that reading it leaves its access time alone; without
     * O_NOATIME when the kernel refuses it (only the owner or CAP_FOWNER may ask for it).
     */
    public static int openNoatime(String path, int flags) {
        try {
            return Linux.open(path, flags | O_NOATIME, 0);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            return Linux.open(path, flags, 0);
        }
    }

    /** Sets the access and modification times of what FD is open on (nanoseconds since the epoch). */
    public static void futimens(int fd, long atimeNanos, long mtimeNanos) {
        Memory ts = new Memory(32);
        ts.setLong(0, Math.floorDiv(atimeNanos, 1_000_000_000L));
        ts.setLong(8, Math.floorMod(atimeNanos, 1_000_000_000L));
        ts.setLong(16, Math.floorDiv(mtimeNanos, 1_000_000_000L));
        ts.setLong(24, Math.floorMod(mtimeNanos, 1_000_000_000L));
        Linux.syscall("utimensat(fd " + fd + ")", 0, SYS_UTIMENSAT, fd, 0, Pointer.nativeValue(ts), 0, 0, 0);
    }

    /** The F_SETOWN owner of a description: who gets its SIGIO/SIGURG, as which user, with which signal. */
    public record Owner(int pidType, int pid, int uid, int euid, int signum) {
        /** No owner and the default signal: what almost every file has. */
        public boolean none() {
            return pid == 0 && signum == 0;
        }
    }

    /** The owner of the description FD is open on (F_GETOWN_EX, F_GETOWNER_UIDS, F_GETSIG). */
    public static Owner owner(int fd) {
        Memory m = new Memory(8);
        m.clear();
        fcntl(fd, F_GETOWN_EX, Pointer.nativeValue(m), "F_GETOWN_EX");
        int type = m.getInt(0);
        int pid = m.getInt(4);
        int signum = (int) fcntl(fd, F_GETSIG, 0, "F_GETSIG");
        int uid = 0;
        int euid = 0;
        if (pid != 0) {
            m.clear();
            fcntl(fd, F_GETOWNER_UIDS, Pointer.nativeValue(m), "F_GETOWNER_UIDS");
            uid = m.getInt(0);
            euid = m.getInt(4);
        }
        return new Owner(type, pid, uid, euid, signum);
    }

    /**
     * Gives description FD the owner O: F_SETSIG, then F_SETOWN_EX made as O's uid/euid (the kernel
     * records the caller's ids with the owner and checks them when it signals), switched on the
     * calling thread only and back at once.
     */
    public static void setOwner(int fd, Owner o) {
        if (o.signum() != 0) {
            fcntl(fd, F_SETSIG, o.signum(), "F_SETSIG");
        }
        if (o.pid() == 0) {
            return;
        }
        Memory ids = new Memory(12);
        Linux.syscall("getresuid", 0, SYS_GETRESUID, Pointer.nativeValue(ids), Pointer.nativeValue(ids) + 4,
                Pointer.nativeValue(ids) + 8, 0, 0, 0);
        int ruid = ids.getInt(0);
        int euid = ids.getInt(4);
        int suid = ids.getInt(8);
        boolean switchIds = ruid != o.uid() || euid != o.euid();
        if (switchIds) {
            // the saved uid stays: the way back is allowed even when the new ids are unprivileged
            Linux.syscall("setresuid(" + o.uid() + ", " + o.euid() + ")", 0, SYS_SETRESUID, o.uid(), o.euid(), -1,
                    0, 0, 0);
        }
        try {
            Memory ex = new Memory(8);
            ex.setInt(0, o.pidType());
            ex.setInt(4, o.pid());
            fcntl(fd, F_SETOWN_EX, Pointer.nativeValue(ex), "F_SETOWN_EX");
        } finally {
            if (switchIds) {
                Linux.syscall("setresuid", 0, SYS_SETRESUID, ruid, euid, suid, 0, 0, 0);
            }
        }
    }

    private static long fcntl(int fd, int cmd, long arg, String what) {
        return Linux.syscall("fcntl(fd " + fd + ", " + what + ")", 0, SYS_FCNTL, fd, cmd, arg, 0, 0, 0);
    }
}
