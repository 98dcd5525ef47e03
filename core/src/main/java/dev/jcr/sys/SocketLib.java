package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Sockets: the BSD socket calls and the terminal ioctls jcr makes on its own descriptors (sockets and
 * ptys it recreates, duplicates of a frozen process's fds taken with pidfd_getfd). Addresses and option
 * values are byte arrays; message headers are native memory ({@link Sockets} lays them out).
 */
final class SocketLib {
    static {
        Native.register(SocketLib.class, "c");
    }

    private SocketLib() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    static native int bind(int fd, byte[] addr, int len) throws LastErrorException;

    static native int connect(int fd, byte[] addr, int len) throws LastErrorException;

    static native int listen(int fd, int backlog) throws LastErrorException;

    static native int shutdown(int fd, int how) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, byte[] value, int[] len) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    static native int getsockname(int fd, byte[] addr, int[] len) throws LastErrorException;

    static native int getpeername(int fd, byte[] addr, int[] len) throws LastErrorException;

    static native long sendmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    static native long recvmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    static native long read(int fd, byte[] buf, long len) throws LastErrorException;
}
