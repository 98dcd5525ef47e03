package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A TCP connection as a raw descriptor, so that pages can be spliced from a pipe straight into it
 * (a Java socket hides its descriptor). Blocking; errors are {@link SyscallException}s naming the call.
 */
public final class Tcp {

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NODELAY = 1;
    private static final int SHUT_WR = 1;
    private static final long FIONREAD = 0x541B;

    private Tcp() {
    }

    /** A connected socket to ADDRESS (resolved, IPv4 or IPv6); its descriptor. */
    public static int connect(InetSocketAddress address) {
        boolean v6 = address.getAddress() instanceof Inet6Address;
        int fd;
        try {
            fd = NetLib.socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new SyscallException("socket", 0, e.getErrorCode());
        }
        Memory sa = new Memory(v6 ? 28 : 16);
        sa.clear();
        byte[] ip = address.getAddress().getAddress();
        int port = address.getPort();
        sa.setShort(0, (short) (v6 ? AF_INET6 : AF_INET));
        sa.setByte(2, (byte) (port >> 8));
        sa.setByte(3, (byte) port);
        if (v6) {
            sa.write(8, ip, 0, 16);
        } else if (address.getAddress() instanceof Inet4Address) {
            sa.write(4, ip, 0, 4);
        }
        try {
            NetLib.connect(fd, Pointer.nativeValue(sa), (int) sa.size());
            Memory one = new Memory(4);
            one.setInt(0, 1);
            NetLib.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, Pointer.nativeValue(one), 4);
        } catch (LastErrorException e) {
            Linux.close(fd);
            throw new SyscallException("connect(" + address + ")", 0, e.getErrorCode());
        }
        return fd;
    }

    /** Writes all of SRC's remaining bytes (position advanced). */
    public static void writeFully(int fd, ByteBuffer src) {
        long base = Linux.addressOf(src);
        while (src.hasRemaining()) {
            long n;
            try {
                n = NetLib.write(fd, base + src.position(), src.remaining());
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                throw new SyscallException("write(socket)", 0, e.getErrorCode());
            }
            src.position(src.position() + (int) n);
        }
    }

    /** Writes LEN bytes of jcr's memory at ADDR. */
    public static void writeFully(int fd, long addr, long len) {
        long done = 0;
        while (done < len) {
            try {
                done += NetLib.write(fd, addr + done, len - done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("write(socket)", 0, e.getErrorCode());
                }
            }
        }
    }

    /** Reads into DST from its position (advanced); returns bytes read, -1 at end of stream. */
    public static int read(int fd, ByteBuffer dst) {
        while (true) {
            try {
                long n = NetLib.read(fd, Linux.addressOf(dst) + dst.position(), dst.remaining());
                if (n == 0) {
                    return -1;
                }
                dst.position(dst.position() + (int) n);
                return (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SyscallException("read(socket)", 0, e.getErrorCode());
                }
            }
        }
    }

    /** Bytes waiting in pipe (or socket) FD (FIONREAD). */
    public static int available(int fd) {
        Memory n = new Memory(4);
        try {
            NetLib.ioctl(fd, FIONREAD, Pointer.nativeValue(n));
        } catch (LastErrorException e) {
            throw new SyscallException("ioctl(FIONREAD)", 0, e.getErrorCode());
        }
        return n.getInt(0);
    }

    /** Moves exactly LEN bytes from pipe PIPE (which holds them) into socket FD, without copying them through jcr. */
    public static void spliceFully(int pipe, int fd, long len) {
        long done = 0;
        while (done < len) {
            long n = Linux.splice(pipe, -1, fd, -1, len - done, 0);
            if (n <= 0) {
                throw new SyscallException("splice(pipe -> socket) moved nothing", 0, Errno.EIO);
            }
            done += n;
        }
    }

    /** No more writes: the peer reads end of stream after what was sent. */
    public static void shutdownOutput(int fd) {
        try {
            NetLib.shutdown(fd, SHUT_WR);
        } catch (LastErrorException e) {
            // already closed by the peer: nothing more to tell it
        }
    }
}
