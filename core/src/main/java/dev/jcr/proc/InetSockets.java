package dev.jcr.proc;

import dev.jcr.sys.SockDiag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP or UDP sockets of one family of jcr's network namespace, from the kernel's socket table
 * (INET_DIAG: the same answers as /proc/net/tcp, with exact addresses, queue lengths, a listener's
 * waiting connections and backlog, and the shutdown state), by inode. Queried once per check or dump
 * through {@link SocketDiag#table}: {@link #of(SocketDiag, int, int)}.
 */
public final class InetSockets {

    // linux/inet_diag.h
    static final int INET_DIAG_SHUTDOWN = 8;
    /** sizeof(struct inet_diag_msg). */
    static final int MSG_LEN = 72;
    /** sizeof(struct inet_diag_req_v2). */
    static final int REQ_LEN = 56;

    private final Map<Long, InetSock> byInode;

    public InetSockets(Collection<InetSock> sockets) {
        Map<Long, InetSock> m = new HashMap<>();
        for (InetSock s : sockets) {
            if (s.inode() != 0) { // time-wait and request minisockets belong to no fd
                m.put(s.inode(), s);
            }
        }
        this.byInode = Collections.unmodifiableMap(m);
    }

    /** FAMILY's (AF_INET, AF_INET6) sockets of PROTOCOL (IPPROTO_TCP, IPPROTO_UDP) in DIAG's namespace, asked once. */
    public static InetSockets of(SocketDiag diag, int family, int protocol) {
        return diag.table((protocol == InetSock.IPPROTO_TCP ? "tcp" : "udp") + (family == InetEndpoint.AF_INET ? "4" : "6"),
                () -> query(family, protocol));
    }

    /** The socket with INODE among the TCP (or UDP) sockets of both families of DIAG's namespace, or null. */
    public static InetSock find(SocketDiag diag, int protocol, long inode) {
        InetSock s = of(diag, InetEndpoint.AF_INET, protocol).get(inode);
        return s != null ? s : of(diag, InetEndpoint.AF_INET6, protocol).get(inode);
    }

    /** Asks the kernel: one dump of every socket of FAMILY and PROTOCOL, in every state. */
    public static InetSockets query(int family, int protocol) {
        byte[] req = ByteBuffer.allocate(REQ_LEN).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) family).put((byte) protocol).put((byte) 0).put((byte) 0)
                .putInt(-1) // every state
                .array(); // inet_diag_sockid all zero: no filter
        String what = (protocol == InetSock.IPPROTO_TCP ? "tcp" : "udp") + (family == InetEndpoint.AF_INET ? "" : "6")
                + " sockets";
        List<SockDiag.Reply> replies = SockDiag.dump(req, MSG_LEN, what);
        return new InetSockets(replies.stream().map(r -> parse(r, protocol)).toList());
    }

    /** One INET_DIAG reply (struct inet_diag_msg and its attributes). */
    static InetSock parse(SockDiag.Reply r, int protocol) {
        ByteBuffer h = r.header(0);
        int family = h.get() & 0xff;
        int state = h.get() & 0xff;
        h.get(); // timer
        h.get(); // retrans
        // inet_diag_sockid: ports and addresses in network order
        ByteBuffer id = ByteBuffer.wrap(r.header()).order(ByteOrder.BIG_ENDIAN);
        int sport = id.getShort(4) & 0xffff;
        int dport = id.getShort(6) & 0xffff;
        int len = family == InetEndpoint.AF_INET ? 4 : 16;
        byte[] src = Arrays.copyOfRange(r.header(), 8, 8 + len);
        byte[] dst = Arrays.copyOfRange(r.header(), 24, 24 + len);
        ByteBuffer tail = r.header(52);
        tail.getInt(); // expires
        long rqueue = Integer.toUnsignedLong(tail.getInt());
        long wqueue = Integer.toUnsignedLong(tail.getInt());
        long uid = Integer.toUnsignedLong(tail.getInt());
        long inode = Integer.toUnsignedLong(tail.getInt());
        return new InetSock(inode, protocol, state, new InetEndpoint(family, src, sport),
                new InetEndpoint(family, dst, dport), rqueue, wqueue, r.u8(INET_DIAG_SHUTDOWN, 0), uid);
    }

    /** The socket with INODE, or null (closed meanwhile, or not of this family and protocol). */
    public InetSock get(long inode) {
        return byInode.get(inode);
    }

    public Collection<InetSock> all() {
        return byInode.values();
    }

    public int size() {
        return byInode.size();
    }
}
