package dev.jcr.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transport of NETLINK_SOCK_DIAG, the kernel's socket table: one SOCK_DIAG_BY_FAMILY dump request
 * (the family's own request structure: unix_diag_req, inet_diag_req_v2, netlink_diag_req,
 * packet_diag_req) and its replies, each a fixed family structure followed by netlink attributes.
 * What the structures and attributes mean is the family's business ({@code dev.jcr.proc.UnixSockets},
 * {@code dev.jcr.proc.NetlinkSockets}, an inet reader); this class only frames and unframes messages.
 *
 * <p>The query runs in jcr's network namespace: it sees the sockets of that namespace only.
 */
public final class SockDiag {

    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int SOCK_DIAG_BY_FAMILY = 20;

    private static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int RECV_BUFFER = 1 << 16;

    private SockDiag() {
    }

    /**
     * One reply: the family's fixed structure (HEADER, e.g. unix_diag_msg) and its attributes by type
     * (each attribute's payload; a type given twice keeps the last).
     */
    public record Reply(byte[] header, Map<Integer, byte[]> attributes) {

        public Reply {
            attributes = Collections.unmodifiableMap(attributes);
        }

        public ByteBuffer header(int offset) {
            return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).position(offset);
        }

        public byte[] attribute(int type) {
            return attributes.get(type);
        }

        public boolean has(int type) {
            return attributes.containsKey(type);
        }

        /** Attribute TYPE as a u32 (little-endian), or DEFAULT when absent. */
        public long u32(int type, long dflt) {
            byte[] a = attributes.get(type);
            return a == null || a.length < 4 ? dflt : Integer.toUnsignedLong(le(a).getInt());
        }

        /** Attribute TYPE as a u8, or DEFAULT when absent. */
        public int u8(int type, int dflt) {
            byte[] a = attributes.get(type);
            return a == null || a.length < 1 ? dflt : a[0] & 0xff;
        }

        /** Attribute TYPE as an array of u32 (empty when absent). */
        public long[] u32s(int type) {
            byte[] a = attributes.get(type);
            if (a == null) {
                return new long[0];
            }
            ByteBuffer b = le(a);
            long[] out = new long[a.length / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = Integer.toUnsignedLong(b.getInt());
            }
            return out;
        }
    }

    /**
     * Dumps the sockets REQUEST selects (REQUEST: the family's request structure, without the netlink
     * header); replies carry a fixed structure of HEADER_LEN bytes. WHAT names the query in errors
     * (e.g. "unix sockets").
     */
    public static List<Reply> dump(byte[] request, int headerLen, String what) {
        int fd = Sockets.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW, NETLINK_SOCK_DIAG);
        try {
            byte[] msg = frame(request, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1);
            // sockaddr_nl of the kernel: family, pad, pid 0, groups 0
            byte[] kernel = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) Sockets.AF_NETLINK)
                    .array();
            Sockets.sendTo(fd, msg, kernel, 0);
            List<Reply> out = new ArrayList<>();
            while (true) {
                byte[] buf = Sockets.recv(fd, RECV_BUFFER, 0);
                if (buf == null || buf.length == 0) {
                    throw new SyscallException("sock_diag(" + what + "): reply ended early", 0, Errno.EIO);
                }
                if (parse(buf, headerLen, what, out)) {
                    return out;
                }
            }
        } finally {
            Linux.close(fd);
        }
    }

    /** A netlink message: header (length, TYPE, FLAGS, SEQ, pid 0) then PAYLOAD. */
    static byte[] frame(byte[] payload, int type, int flags, int seq) {
        return ByteBuffer.allocate(NLMSG_HDRLEN + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(NLMSG_HDRLEN + payload.length).putShort((short) type).putShort((short) flags).putInt(seq)
                .putInt(0).put(payload).array();
    }

    /**
     * Parses the netlink messages of one datagram BUF into OUT; true when the dump is complete
     * (NLMSG_DONE). An NLMSG_ERROR reply becomes a SyscallException with its errno.
     */
    static boolean parse(byte[] buf, int headerLen, String what, List<Reply> out) {
        ByteBuffer b = le(buf);
        int off = 0;
        while (off + NLMSG_HDRLEN <= buf.length) {
            int len = b.getInt(off);
            int type = b.getShort(off + 4) & 0xffff;
            if (len < NLMSG_HDRLEN || off + len > buf.length) {
                throw new SyscallException("sock_diag(" + what + "): bad message length " + len, 0, Errno.EIO);
            }
            if (type == NLMSG_DONE) {
                return true;
            }
            if (type == NLMSG_ERROR) {
                int err = len >= NLMSG_HDRLEN + 4 ? -b.getInt(off + NLMSG_HDRLEN) : Errno.EIO;
                throw new SyscallException("sock_diag(" + what + ")", 0, err);
            }
            int payload = off + NLMSG_HDRLEN;
            if (len - NLMSG_HDRLEN < headerLen) {
                throw new SyscallException("sock_diag(" + what + "): reply of " + len + " bytes is too short", 0,
                        Errno.EIO);
            }
            byte[] header = Arrays.copyOfRange(buf, payload, payload + headerLen);
            out.add(new Reply(header, attributes(buf, payload + align(headerLen), off + len)));
            off += align(len);
        }
        return false;
    }

    /** The netlink attributes (struct nlattr: u16 length, u16 type, payload, 4-aligned) in BUF[from, to). */
    static Map<Integer, byte[]> attributes(byte[] buf, int from, int to) {
        ByteBuffer b = le(buf);
        Map<Integer, byte[]> attrs = new HashMap<>();
        int off = from;
        while (off + 4 <= to) {
            int len = b.getShort(off) & 0xffff;
            int type = b.getShort(off + 2) & 0x3fff; // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < 4 || off + len > to) {
                break;
            }
            attrs.put(type, Arrays.copyOfRange(buf, off + 4, off + len));
            off += align(len);
        }
        return attrs;
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }

    private static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }
}
