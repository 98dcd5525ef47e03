package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** Sockets: socket(2), connect(2), setsockopt(2), shutdown(2), read(2), ioctl(FIONREAD). */
final class NetLib {
    static {
        Native.register(NetLib.class, "c");
    }

    private NetLib() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int connect(int fd, long addr, int len) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, long value, int len) throws LastErrorException;

    static native int shutdown(int fd, int how) throws LastErrorException;

    static native long read(int fd, long buf, long count) throws LastErrorException;

    static native long write(int fd, long buf, long count) throws LastErrorException;

    static native int ioctl(int fd, long request, long arg) throws LastErrorException;
}
