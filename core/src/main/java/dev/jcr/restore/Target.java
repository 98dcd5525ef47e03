package dev.jcr.restore;

import dev.jcr.ptrace.RemoteSyscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Syscalls the restore runs inside one process being rebuilt, on top of a {@link RemoteSyscalls}
 * session, each failing with the name of what it was doing. File descriptions reach the target by
 * {@code pidfd_getfd} from jcr (the target duplicates jcr's fd): no path from an image is ever
 * written into the target or interpreted by anything but the kernel's open(2) in jcr.
 */
final class Target {

    static final int SYS_CLOSE = 3;
    static final int SYS_LSEEK = 8;
    static final int SYS_MREMAP = 25;
    static final int SYS_SETITIMER = 38;
    static final int SYS_FCNTL = 72;
    static final int SYS_FCHDIR = 81;
    static final int SYS_UMASK = 95;
    static final int SYS_SETPGID = 109;
    static final int SYS_SETSID = 112;
    static final int SYS_PERSONALITY = 135;
    static final int SYS_SIGALTSTACK = 131;
    static final int SYS_SET_TID_ADDRESS = 218;
    static final int SYS_SET_ROBUST_LIST = 273;
    static final int SYS_DUP3 = 292;
    static final int SYS_PREADV = 295;
    static final int SYS_PRLIMIT64 = 302;
    static final int SYS_RSEQ = 334;
    static final int SYS_PIDFD_OPEN = 434;
    static final int SYS_CLOSE_RANGE = 436;
    static final int SYS_PIDFD_GETFD = 438;

    static final int F_SETFD = 2;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int O_CLOEXEC = 0x80000;

    private final RemoteSyscalls r;
    private final int pid;
    private int pidfd = -1;

    Target(RemoteSyscalls r, int pid) {
        this.r = r;
        this.pid = pid;
    }

    RemoteSyscalls remote() {
        return r;
    }

    int pid() {
        return pid;
    }

    long call(String what, int nr, long... args) {
        try {
            return r.check(what, nr, args);
        } catch (dev.jcr.JcrException e) {
            throw new RestoreException(e.kind() == dev.jcr.JcrException.Kind.INTERNAL ? dev.jcr.JcrException.Kind.INTERNAL
                    : dev.jcr.JcrException.Kind.IO, "process " + pid + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Opens a pidfd of jcr in the target, placed above every fd the target will get (LOWEST). */
    void connect(int jcrPid, int lowest) {
        int fd = (int) call("pidfd_open(jcr)", SYS_PIDFD_OPEN, jcrPid, 0);
        int high = (int) call("fcntl(F_DUPFD_CLOEXEC)", SYS_FCNTL, fd, F_DUPFD_CLOEXEC, lowest);
        close(fd);
        pidfd = high;
    }

    /**
     * Takes a pidfd of jcr the target inherited as INHERITED (placed above every fd the target will get,
     * LOWEST) and closes every other inherited fd: how a process in a new PID namespace, which cannot
     * see jcr's pid, reaches jcr.
     */
    void connectInherited(int inherited, int lowest) {
        int high = (int) call("fcntl(F_DUPFD_CLOEXEC) of the inherited pidfd", SYS_FCNTL, inherited, F_DUPFD_CLOEXEC, lowest);
        call("close_range", SYS_CLOSE_RANGE, 0, high - 1, 0);
        call("close_range", SYS_CLOSE_RANGE, high + 1, 0xffffffffL, 0);
        pidfd = high;
    }

    /** Uses the pidfd of jcr the target already holds as FD (kept from an earlier connection). */
    void adopt(int fd) {
        pidfd = fd;
    }

    /** The target's pidfd of jcr, or -1 when not connected. */
    int jcrPidfd() {
        return pidfd;
    }

    /** Duplicates jcr's fd JCR_FD into the target; returns the target's new (close-on-exec) fd. */
    int take(int jcrFd, String what) {
        if (pidfd < 0) {
            throw new IllegalStateException("connect first");
        }
        return (int) call("pidfd_getfd(" + what + ")", SYS_PIDFD_GETFD, pidfd, jcrFd, 0);
    }

    /** Puts jcr's fd JCR_FD at fd number FD in the target, with or without close-on-exec. */
    void install(int jcrFd, int fd, boolean cloexec, String what) {
        int tmp = take(jcrFd, what);
        if (tmp == fd) {
            call("fcntl(F_SETFD) of fd " + fd, SYS_FCNTL, fd, F_SETFD, cloexec ? 1 : 0);
            return;
        }
        call("dup3 to fd " + fd + " (" + what + ")", SYS_DUP3, tmp, fd, cloexec ? O_CLOEXEC : 0);
        close(tmp);
    }

    void disconnect() {
        if (pidfd >= 0) {
            close(pidfd);
            pidfd = -1;
        }
    }

    void close(int fd) {
        call("close(" + fd + ")", SYS_CLOSE, fd);
    }

    void closeAll() {
        call("close_range", SYS_CLOSE_RANGE, 0, 0xffffffffL, 0);
    }

    void mremap(long from, long len, long to) {
        call(String.format("mremap(0x%x -> 0x%x)", from, to), SYS_MREMAP, from, len, len, 3 /* MAYMOVE|FIXED */, to);
    }

    long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        long got = call(String.format("mmap(0x%x, %d)", addr, len), RemoteSyscalls.SYS_MMAP, addr, len, prot, flags,
                fd, off);
        if ((flags & Vmas.MAP_FIXED) != 0 && got != addr) {
            throw new RestoreException(dev.jcr.JcrException.Kind.INTERNAL, String.format(
                    "process %d: mmap at 0x%x landed at 0x%x", pid, addr, got));
        }
        return got;
    }

    void munmap(long addr, long len) {
        call(String.format("munmap(0x%x, %d)", addr, len), RemoteSyscalls.SYS_MUNMAP, addr, len);
    }

    void mprotect(long addr, long len, int prot) {
        call(String.format("mprotect(0x%x, %d, %d)", addr, len, prot), RemoteSyscalls.SYS_MPROTECT, addr, len, prot);
    }

    /** Writes DATA into scratch memory of the target and returns its address there. */
    long put(byte[] data) {
        long addr = r.scratch(Math.max(data.length, RemoteSyscalls.PAGE));
        r.write(addr, data);
        return addr;
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
