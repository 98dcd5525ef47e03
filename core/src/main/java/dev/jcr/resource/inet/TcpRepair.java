package dev.jcr.resource.inet;

import dev.jcr.sys.Errno;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * TCP repair mode (TCP_REPAIR, Linux 3.5+; needs CAP_NET_ADMIN) on jcr's fds: how a connection's
 * inner state is read and written without a packet on the wire. In repair mode the sequence numbers
 * of both queues can be read and set (TCP_QUEUE_SEQ), the send queue can be peeked like the receive
 * queue, data written goes straight into the queue chosen with TCP_REPAIR_QUEUE, connect() makes a
 * connection ESTABLISHED without a handshake, the options the handshake agreed on (MSS, window scale,
 * SACK, timestamps) are set with TCP_REPAIR_OPTIONS and the windows with TCP_REPAIR_WINDOW, and
 * close() ends the connection silently.
 *
 * <p>Repair mode does <em>not</em> stop the kernel from receiving: a socket in repair mode still
 * queues and acknowledges what arrives (measured: 100 bytes sent to it were acknowledged and queued).
 * Keeping a connection still while it is read is {@link ConnectionLock}'s job.
 */
final class TcpRepair {

    static final int SOL_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int TCP_MAXSEG = 2;
    static final int TCP_CORK = 3;
    static final int TCP_KEEPIDLE = 4;
    static final int TCP_KEEPINTVL = 5;
    static final int TCP_KEEPCNT = 6;
    static final int TCP_INFO = 11;
    static final int TCP_REPAIR = 19;
    static final int TCP_REPAIR_QUEUE = 20;
    static final int TCP_QUEUE_SEQ = 21;
    static final int TCP_REPAIR_OPTIONS = 22;
    static final int TCP_TIMESTAMP = 24;
    static final int TCP_REPAIR_WINDOW = 29;

    static final int REPAIR_ON = 1;
    static final int REPAIR_OFF = 0;
    /** Off without the window probe the kernel sends to wake the peer (dump side: nobody is to be woken). */
    static final int REPAIR_OFF_NO_WP = -1;

    static final int NO_QUEUE = 0;
    static final int RECV_QUEUE = 1;
    static final int SEND_QUEUE = 2;

    // tcp_info.tcpi_options
    static final int OPT_TIMESTAMPS = 1;
    static final int OPT_SACK = 2;
    static final int OPT_WSCALE = 4;

    // TCP option kinds, as TCP_REPAIR_OPTIONS takes them
    static final int TCPOPT_MAXSEG = 2;
    static final int TCPOPT_WINDOW = 3;
    static final int TCPOPT_SACK_PERM = 4;
    static final int TCPOPT_TIMESTAMP = 8;

    private static final long SIOCINQ = 0x541B;
    private static final long SIOCOUTQ = 0x5411;
    private static final long SIOCOUTQNSD = 0x894B;

    private TcpRepair() {
    }

    /** What TCP_INFO says that a restore needs: state, negotiated options, window scales. */
    record Info(int state, int options, int sndWscale, int rcvWscale) {
    }

    /** The five values TCP_REPAIR_WINDOW reads and writes. */
    record Window(int sndWl1, int sndWnd, int maxWindow, int rcvWnd, int rcvWup) {
    }

    /** Whether jcr may use repair mode (CAP_NET_ADMIN), asked once of a throwaway socket. */
    static String unavailable() {
        return Probe.ANSWER;
    }

    private static final class Probe {
        static final String ANSWER = probe();

        private static String probe() {
            int fd = Sockets.socket(Sockets.AF_INET, Sockets.SOCK_STREAM, 0);
            try {
                repair(fd, REPAIR_ON);
                return null;
            } catch (SyscallException e) {
                return "TCP repair mode is refused to jcr (" + e.errnoName() + "; it needs CAP_NET_ADMIN)";
            } finally {
                dev.jcr.sys.Linux.close(fd);
            }
        }
    }

    static void repair(int fd, int mode) {
        Sockets.setInt(fd, SOL_TCP, TCP_REPAIR, mode);
    }

    static Info info(int fd) {
        byte[] b = Sockets.get(fd, SOL_TCP, TCP_INFO, 8);
        if (b.length < 7) {
            throw new SyscallException("getsockopt(TCP_INFO): " + b.length + " bytes", 0, Errno.EIO);
        }
        return new Info(b[0] & 0xff, b[5] & 0xff, b[6] & 0x0f, (b[6] >>> 4) & 0x0f);
    }

    /** Bytes received and not read yet (SIOCINQ). */
    static int inq(int fd) {
        return Sockets.ioctlGetInt(fd, SIOCINQ, "SIOCINQ");
    }

    /** Bytes in the send queue, sent or not (SIOCOUTQ). */
    static int outq(int fd) {
        return Sockets.ioctlGetInt(fd, SIOCOUTQ, "SIOCOUTQ");
    }

    /** Bytes in the send queue never sent (SIOCOUTQNSD). */
    static int unsent(int fd) {
        return Sockets.ioctlGetInt(fd, SIOCOUTQNSD, "SIOCOUTQNSD");
    }

    /** Selects QUEUE (repair mode): what TCP_QUEUE_SEQ, peeks and writes then address. */
    static void queue(int fd, int queue) {
        Sockets.setInt(fd, SOL_TCP, TCP_REPAIR_QUEUE, queue);
    }

    /** The sequence number at the end of the selected queue (rcv_nxt, or write_seq). */
    static int seq(int fd) {
        return Sockets.getInt(fd, SOL_TCP, TCP_QUEUE_SEQ);
    }

    static void seq(int fd, int seq) {
        Sockets.setInt(fd, SOL_TCP, TCP_QUEUE_SEQ, seq);
    }

    /**
     * The LEN bytes of the selected queue, taking none: one byte more is asked for, so that a queue that
     * holds more than LEN (it changed since LEN was read) is an error, not a silent cut.
     */
    static byte[] peek(int fd, int len, String what) {
        if (len == 0) {
            return new byte[0];
        }
        byte[] got = Sockets.recv(fd, len + 1, Sockets.MSG_PEEK | Sockets.MSG_DONTWAIT);
        if (got == null || got.length != len) {
            throw new SyscallException(what + ": peeked " + (got == null ? 0 : got.length) + " bytes of a queue of " + len,
                    0, Errno.EIO);
        }
        return got;
    }

    static Window window(int fd) {
        ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(Sockets.get(fd, SOL_TCP, TCP_REPAIR_WINDOW, 20), 20))
                .order(ByteOrder.LITTLE_ENDIAN);
        return new Window(b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    static void window(int fd, Window w) {
        Sockets.set(fd, SOL_TCP, TCP_REPAIR_WINDOW, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(w.sndWl1()).putInt(w.sndWnd()).putInt(w.maxWindow()).putInt(w.rcvWnd()).putInt(w.rcvWup())
                .array());
    }

    /** TCP_REPAIR_OPTIONS: pairs of (option kind, value), as struct tcp_repair_opt. */
    static void options(int fd, int[][] opts) {
        ByteBuffer b = ByteBuffer.allocate(opts.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] o : opts) {
            b.putInt(o[0]).putInt(o[1]);
        }
        Sockets.set(fd, SOL_TCP, TCP_REPAIR_OPTIONS, b.array());
    }

    /**
     * Writes DATA into the selected queue (repair mode) or sends it (not in repair mode), without blocking.
     * In repair mode the kernel makes one buffer of what one call is given: a large chunk may fail for
     * want of memory, so the chunk is halved then, down to 1 KiB (what CRIU does too).
     */
    static void write(int fd, byte[] data, String what) {
        int off = 0;
        int chunk = data.length;
        while (off < data.length) {
            int n = Math.min(chunk, data.length - off);
            try {
                long sent = Sockets.sendTo(fd, Arrays.copyOfRange(data, off, off + n), null, Sockets.MSG_DONTWAIT);
                off += (int) sent;
            } catch (SyscallException e) {
                if ((e.errno() == Errno.ENOMEM || e.errno() == Errno.EAGAIN) && chunk > 1024) {
                    chunk /= 2;
                    continue;
                }
                throw new SyscallException(what + ": writing " + data.length + " bytes back (" + off + " done)", 0,
                        e.errno());
            }
        }
    }
}
