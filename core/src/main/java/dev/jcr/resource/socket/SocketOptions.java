package dev.jcr.resource.socket;

import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The options every socket has (SOL_SOCKET), in CRIU's sk_opts_entry: read from a socket at dump,
 * applied to its recreation at restore. A family driver adds its own fields to the builder (TCP
 * keepalive times, SO_REUSEPORT …) and applies them itself.
 *
 * <p>Restore sets only what differs from a fresh socket, so that a restore by someone without
 * CAP_NET_ADMIN is not refused for SO_MARK 0 or forced buffer sizes nobody chose.
 */
public final class SocketOptions {

    private SocketOptions() {
    }

    /** The SOL_SOCKET options of socket FD (jcr's fd: a recreated socket, or a frozen process's, duplicated). */
    public static SkOptsEntry.Builder read(int fd) {
        SkOptsEntry.Builder b = SkOptsEntry.newBuilder()
                .setSoSndbuf(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF))
                .setSoRcvbuf(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF))
                .setSoPriority(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_PRIORITY))
                .setSoRcvlowat(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVLOWAT))
                .setSoMark(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_MARK))
                .setReuseaddr(flag(fd, Sockets.SO_REUSEADDR))
                .setSoPasscred(familyFlag(fd, Sockets.SO_PASSCRED))
                .setSoPasssec(familyFlag(fd, Sockets.SO_PASSSEC))
                .setSoDontroute(flag(fd, Sockets.SO_DONTROUTE))
                .setSoNoCheck(flag(fd, Sockets.SO_NO_CHECK));
        long[] snd = timeval(fd, Sockets.SO_SNDTIMEO);
        long[] rcv = timeval(fd, Sockets.SO_RCVTIMEO);
        b.setSoSndTmoSec(snd[0]).setSoSndTmoUsec(snd[1]).setSoRcvTmoSec(rcv[0]).setSoRcvTmoUsec(rcv[1]);
        byte[] dev = Sockets.get(fd, Sockets.SOL_SOCKET, Sockets.SO_BINDTODEVICE, 16);
        String name = cString(dev);
        if (!name.isEmpty()) {
            b.setSoBoundDev(name);
        }
        for (long insn : filter(fd)) {
            b.addSoFilter(insn);
        }
        try {
            b.setSoBufLock(Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_BUF_LOCK));
        } catch (SyscallException e) {
            // kernels before 5.14 have no SO_BUF_LOCK: the lock then follows from the buffer sizes set
        }
        return b;
    }

    /** Applies the SOL_SOCKET options of OPTS to socket FD, a socket just made (see the class comment). */
    public static void apply(int fd, SkOptsEntry opts) {
        // the kernel doubles what is set (room for its bookkeeping) and reports the doubled value
        if (opts.getSoSndbuf() != Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF)) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDBUFFORCE, opts.getSoSndbuf() / 2);
        }
        if (opts.getSoRcvbuf() != Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF)) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUFFORCE, opts.getSoRcvbuf() / 2);
        }
        if (opts.hasSoBufLock()) {
            try {
                if (opts.getSoBufLock() != Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_BUF_LOCK)) {
                    Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_BUF_LOCK, opts.getSoBufLock());
                }
            } catch (SyscallException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != 92 /* ENOPROTOOPT */) {
                    throw e;
                }
            }
        }
        setIf(fd, opts.hasSoPriority() && opts.getSoPriority() != 0, Sockets.SO_PRIORITY, opts.getSoPriority());
        setIf(fd, opts.hasSoRcvlowat() && opts.getSoRcvlowat() > 1, Sockets.SO_RCVLOWAT, opts.getSoRcvlowat());
        setIf(fd, opts.hasSoMark() && opts.getSoMark() != 0, Sockets.SO_MARK, opts.getSoMark());
        setIf(fd, opts.getReuseaddr(), Sockets.SO_REUSEADDR, 1);
        setIf(fd, opts.getSoPasscred(), Sockets.SO_PASSCRED, 1);
        setIf(fd, opts.getSoPasssec(), Sockets.SO_PASSSEC, 1);
        setIf(fd, opts.getSoDontroute(), Sockets.SO_DONTROUTE, 1);
        setIf(fd, opts.getSoNoCheck(), Sockets.SO_NO_CHECK, 1);
        if (opts.getSoSndTmoSec() != 0 || opts.getSoSndTmoUsec() != 0) {
            Sockets.set(fd, Sockets.SOL_SOCKET, Sockets.SO_SNDTIMEO, timeval(opts.getSoSndTmoSec(), opts.getSoSndTmoUsec()));
        }
        if (opts.getSoRcvTmoSec() != 0 || opts.getSoRcvTmoUsec() != 0) {
            Sockets.set(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVTIMEO, timeval(opts.getSoRcvTmoSec(), opts.getSoRcvTmoUsec()));
        }
        if (opts.hasSoBoundDev()) {
            Sockets.set(fd, Sockets.SOL_SOCKET, Sockets.SO_BINDTODEVICE,
                    (opts.getSoBoundDev() + "\0").getBytes(StandardCharsets.UTF_8));
        }
        if (opts.getSoFilterCount() > 0) {
            Sockets.attachFilter(fd, opts.getSoFilterList().stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** A socket's shutdown mask from the kernel (1 receive, 2 send) as CRIU's sk_shutdown. */
    public static dev.jcr.image.proto.SkShutdown shutdown(int mask) {
        return switch (mask & 3) {
            case 1 -> dev.jcr.image.proto.SkShutdown.READ;
            case 2 -> dev.jcr.image.proto.SkShutdown.WRITE;
            case 3 -> dev.jcr.image.proto.SkShutdown.BOTH;
            default -> dev.jcr.image.proto.SkShutdown.NONE;
        };
    }

    /** shutdown(2) of FD as SHUTDOWN says (nothing for NONE). */
    public static void shutdown(int fd, dev.jcr.image.proto.SkShutdown shutdown) {
        switch (shutdown) {
            case READ -> Sockets.shutdown(fd, Sockets.SHUT_RD);
            case WRITE -> Sockets.shutdown(fd, Sockets.SHUT_WR);
            case BOTH -> Sockets.shutdown(fd, Sockets.SHUT_RDWR);
            default -> {
            }
        }
    }

    /**
     * The classic BPF filter attached to FD, one u64 per instruction in CRIU's encoding (code &lt;&lt; 48 |
     * jt &lt;&lt; 40 | jf &lt;&lt; 32 | k), so that the image does not depend on the host's struct layout.
     */
    static long[] filter(int fd) {
        int n = Sockets.optionLength(fd, Sockets.SOL_SOCKET, Sockets.SO_GET_FILTER);
        if (n == 0) {
            return new long[0];
        }
        ByteBuffer b = ByteBuffer.wrap(Sockets.get(fd, Sockets.SOL_SOCKET, Sockets.SO_GET_FILTER, n * 8))
                .order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            long code = b.getShort() & 0xffffL;
            long jt = b.get() & 0xffL;
            long jf = b.get() & 0xffL;
            long k = b.getInt() & 0xffffffffL;
            out[i] = code << 48 | jt << 40 | jf << 32 | k;
        }
        return out;
    }

    private static boolean flag(int fd, int name) {
        return Sockets.getInt(fd, Sockets.SOL_SOCKET, name) != 0;
    }

    /**
     * A flag only some families have: Linux 6.x answers SO_PASSCRED and SO_PASSSEC with EOPNOTSUPP for
     * sockets other than unix and netlink ones (they never carry credentials): off.
     */
    private static boolean familyFlag(int fd, int name) {
        try {
            return flag(fd, name);
        } catch (SyscallException e) {
            if (e.errno() == 95 /* EOPNOTSUPP */) {
                return false;
            }
            throw e;
        }
    }

    private static void setIf(int fd, boolean when, int name, int value) {
        if (when) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, name, value);
        }
    }

    private static long[] timeval(int fd, int name) {
        ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(Sockets.get(fd, Sockets.SOL_SOCKET, name, 16), 16))
                .order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(), b.getLong()};
    }

    private static byte[] timeval(long sec, long usec) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(sec).putLong(usec).array();
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
