package dev.jcr.resource.inet;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.TcpStreamEntry;
import dev.jcr.proc.InetEndpoint;
import dev.jcr.proc.InetSock;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileImages;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.util.Arrays;
import java.util.List;

/**
 * The inner state of an established TCP connection in CRIU's tcp-stream-INO.img (INO: the socket's inode
 * in hex): both sequence numbers, the options the handshake agreed on (MSS, window scales, SACK,
 * timestamps and the timestamp clock), the windows, TCP_NODELAY and TCP_CORK, and both queues as the
 * entry's blob (the bytes received and not read yet, then the bytes sent and not acknowledged or not
 * sent at all). Read and written in repair mode ({@link TcpRepair}), the connection locked meanwhile.
 *
 * <pre>
 *        send queue                               receive queue
 * net &lt;-------------------- sk            net --------------------&gt; sk
 *      ^snd_una  ^snd_nxt  ^write_seq            ^copied_seq  ^rcv_nxt
 * outq_len = write_seq - snd_una, of which unsq_len never sent; outq_seq = write_seq
 * inq_len = rcv_nxt - copied_seq; inq_seq = rcv_nxt
 * </pre>
 */
final class TcpStream {

    /** A parsed, checked tcp-stream image: the entry and both queues. */
    record Saved(TcpStreamEntry entry, byte[] inq, byte[] outq) {
    }

    private TcpStream() {
    }

    /** The image id of socket INODE: its inode in hex, as CRIU names tcp-stream images. */
    static String imageId(long inode) {
        return Long.toHexString(inode);
    }

    /**
     * Reads the connection of LOCAL (jcr's duplicate of an established socket, locked) in repair mode, and
     * leaves repair mode again (with SO_REUSEADDR as it was): the process keeps a working socket whatever
     * happens next. WHAT names it in errors.
     */
    static Saved read(int local, String what) {
        boolean reuseaddr = InetOptions.flag(local, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR);
        TcpRepair.repair(local, TcpRepair.REPAIR_ON);
        try {
            TcpRepair.Info info = TcpRepair.info(local);
            if (info.state() != InetSock.ESTABLISHED) {
                throw new SyscallException(what + ": state " + info.state() + " instead of established", 0,
                        dev.jcr.sys.Errno.EIO);
            }
            int outq = TcpRepair.outq(local);
            int unsent = TcpRepair.unsent(local);
            int inq = TcpRepair.inq(local);
            TcpRepair.queue(local, TcpRepair.RECV_QUEUE);
            int inqSeq = TcpRepair.seq(local);
            byte[] in = TcpRepair.peek(local, inq, what + " receive queue");
            TcpRepair.queue(local, TcpRepair.SEND_QUEUE);
            int outqSeq = TcpRepair.seq(local);
            byte[] out = TcpRepair.peek(local, outq, what + " send queue");
            TcpRepair.queue(local, TcpRepair.NO_QUEUE);
            TcpStreamEntry.Builder t = TcpStreamEntry.newBuilder().setInqLen(inq).setInqSeq(inqSeq).setOutqLen(outq)
                    .setOutqSeq(outqSeq).setUnsqLen(unsent).setOptMask(info.options())
                    .setMssClamp(Sockets.getInt(local, TcpRepair.SOL_TCP, TcpRepair.TCP_MAXSEG)).setSndWscale(0);
            if ((info.options() & TcpRepair.OPT_WSCALE) != 0) {
                t.setSndWscale(info.sndWscale()).setRcvWscale(info.rcvWscale());
            }
            if ((info.options() & TcpRepair.OPT_TIMESTAMPS) != 0) {
                t.setTimestamp(Sockets.getInt(local, TcpRepair.SOL_TCP, TcpRepair.TCP_TIMESTAMP));
            }
            TcpRepair.Window w = TcpRepair.window(local);
            t.setSndWl1(w.sndWl1()).setSndWnd(w.sndWnd()).setMaxWindow(w.maxWindow()).setRcvWnd(w.rcvWnd())
                    .setRcvWup(w.rcvWup());
            if (InetOptions.flag(local, TcpRepair.SOL_TCP, TcpRepair.TCP_NODELAY)) {
                t.setNodelay(true);
            }
            if (InetOptions.flag(local, TcpRepair.SOL_TCP, TcpRepair.TCP_CORK)) {
                t.setCork(true);
            }
            return new Saved(t.build(), in, out);
        } finally {
            TcpRepair.repair(local, TcpRepair.REPAIR_OFF_NO_WP);
            Sockets.setInt(local, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, reuseaddr ? 1 : 0);
        }
    }

    /** The image's blob: receive queue, then send queue. */
    static byte[] blob(Saved s) {
        byte[] b = Arrays.copyOf(s.inq(), s.inq().length + s.outq().length);
        System.arraycopy(s.outq(), 0, b, s.inq().length, s.outq().length);
        return b;
    }

    /**
     * tcp-stream-INO.img of socket E (held as USE), parsed and checked once per restore: one entry, a blob
     * of inq_len + outq_len bytes, unsq_len within outq_len, window scales of at most 14.
     */
    static Saved load(InetSkEntry e, FdUse use, FileImages images) {
        String id = imageId(Integer.toUnsignedLong(e.getIno()));
        return images.derived(List.of(TcpStream.class, id), () -> {
            List<ImageEntry> entries = images.read(ImageKind.TCP_STREAM, id);
            if (entries.size() != 1) {
                throw images.bad(ImageKind.TCP_STREAM, id, entries.isEmpty() ? "is missing or empty: the established"
                        + " connection of inet socket " + e.getId() + " (" + use + ") has no state"
                        : "has " + entries.size() + " entries: one expected");
            }
            TcpStreamEntry t = (TcpStreamEntry) entries.get(0).message();
            byte[] blob = entries.get(0).extra();
            long in = Integer.toUnsignedLong(t.getInqLen());
            long out = Integer.toUnsignedLong(t.getOutqLen());
            if (blob == null || blob.length != in + out) {
                throw images.bad(ImageKind.TCP_STREAM, id, "has " + (blob == null ? 0 : blob.length)
                        + " bytes of queues, inq_len + outq_len say " + (in + out));
            }
            if (Integer.toUnsignedLong(t.getUnsqLen()) > out) {
                throw images.bad(ImageKind.TCP_STREAM, id, "unsq_len " + Integer.toUnsignedLong(t.getUnsqLen())
                        + " is more than outq_len " + out);
            }
            if (t.getSndWscale() > 14 || t.getRcvWscale() > 14) {
                throw images.bad(ImageKind.TCP_STREAM, id, "window scale " + Math.max(t.getSndWscale(),
                        t.getRcvWscale()) + " (snd_wscale/rcv_wscale): at most 14");
            }
            return new Saved(t, Arrays.copyOfRange(blob, 0, (int) in), Arrays.copyOfRange(blob, (int) in, blob.length));
        });
    }

    /**
     * Makes FD (a new socket of E's family, in repair mode) the connection S describes: sequence numbers,
     * bind and connect (no handshake in repair mode), the agreed options, E's socket options (buffers large
     * enough for the queues first), both queues, the windows, TCP_NODELAY and TCP_CORK. The part of the send
     * queue that was never sent is sent normally (out of repair mode, as CRIU does): the kernel must know
     * which bytes the peer may have seen. The socket stays in repair mode until the tree resumes.
     */
    static void restore(int fd, InetSkEntry e, Saved s, String what) {
        TcpStreamEntry t = s.entry();
        TcpRepair.queue(fd, TcpRepair.RECV_QUEUE);
        TcpRepair.seq(fd, t.getInqSeq() - t.getInqLen());
        TcpRepair.queue(fd, TcpRepair.SEND_QUEUE);
        TcpRepair.seq(fd, t.getOutqSeq() - t.getOutqLen());
        TcpRepair.queue(fd, TcpRepair.NO_QUEUE);
        InetEntries.bind(fd, e, what);
        InetEndpoint remote = InetEntries.remote(e);
        Sockets.connect(fd, remote.sockaddr(0));
        List<int[]> opts = new java.util.ArrayList<>();
        if ((t.getOptMask() & TcpRepair.OPT_SACK) != 0) {
            opts.add(new int[] {TcpRepair.TCPOPT_SACK_PERM, 0});
        }
        if ((t.getOptMask() & TcpRepair.OPT_WSCALE) != 0) {
            opts.add(new int[] {TcpRepair.TCPOPT_WINDOW, t.getSndWscale() | t.getRcvWscale() << 16});
        }
        if ((t.getOptMask() & TcpRepair.OPT_TIMESTAMPS) != 0) {
            opts.add(new int[] {TcpRepair.TCPOPT_TIMESTAMP, 0});
        }
        opts.add(new int[] {TcpRepair.TCPOPT_MAXSEG, t.getMssClamp()});
        TcpRepair.options(fd, opts.toArray(int[][]::new));
        if (t.hasTimestamp()) {
            Sockets.setInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_TIMESTAMP, t.getTimestamp());
        }
        InetEntries.options(fd, e);
        int unsent = t.getUnsqLen();
        if (s.inq().length > 0) {
            room(fd, Sockets.SO_RCVBUF, Sockets.SO_RCVBUFFORCE, s.inq().length);
            TcpRepair.queue(fd, TcpRepair.RECV_QUEUE);
            TcpRepair.write(fd, s.inq(), what + " receive queue");
        }
        if (s.outq().length > 0) {
            room(fd, Sockets.SO_SNDBUF, Sockets.SO_SNDBUFFORCE, s.outq().length);
            TcpRepair.queue(fd, TcpRepair.SEND_QUEUE);
            int sent = s.outq().length - unsent;
            if (sent > 0) {
                TcpRepair.write(fd, Arrays.copyOfRange(s.outq(), 0, sent), what + " send queue");
            }
            if (unsent > 0) {
                TcpRepair.repair(fd, TcpRepair.REPAIR_OFF);
                TcpRepair.write(fd, Arrays.copyOfRange(s.outq(), sent, s.outq().length), what + " unsent data");
                TcpRepair.repair(fd, TcpRepair.REPAIR_ON);
            }
        }
        TcpRepair.queue(fd, TcpRepair.NO_QUEUE);
        if (t.hasSndWnd()) {
            TcpRepair.window(fd, new TcpRepair.Window(t.getSndWl1(), t.getSndWnd(), t.getMaxWindow(), t.getRcvWnd(),
                    t.getRcvWup()));
        }
        if (t.getNodelay()) {
            Sockets.setInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_NODELAY, 1);
        }
        if (t.getCork()) {
            Sockets.setInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_CORK, 1);
        }
    }

    /** Makes the buffer OPTION of FD hold at least BYTES (the queue refilled into it) when it does not. */
    private static void room(int fd, int option, int force, int bytes) {
        if (Sockets.getInt(fd, Sockets.SOL_SOCKET, option) / 2 < bytes) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, force, Math.min(Integer.MAX_VALUE / 2, bytes * 2));
        }
    }
}
