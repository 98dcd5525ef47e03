package dev.jcr.proc;

import dev.jcr.sys.SockDiag;
import dev.jcr.sys.Sockets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Every bound netlink socket of jcr's network namespace (NETLINK_DIAG), by inode. */
public final class NetlinkSockets {

    // linux/netlink_diag.h
    static final int NDIAG_PROTO_ALL = 255;
    static final int NDIAG_SHOW_MEMINFO = 0x1;
    static final int NDIAG_SHOW_GROUPS = 0x2;
    static final int NDIAG_SHOW_FLAGS = 0x8;
    static final int NETLINK_DIAG_MEMINFO = 0;
    static final int NETLINK_DIAG_GROUPS = 1;
    static final int NETLINK_DIAG_FLAGS = 4;
    /** sizeof(struct netlink_diag_msg). */
    static final int MSG_LEN = 28;

    private final Map<Long, NetlinkSock> byInode;

    public NetlinkSockets(Collection<NetlinkSock> sockets) {
        Map<Long, NetlinkSock> m = new HashMap<>();
        sockets.forEach(s -> m.put(s.inode(), s));
        this.byInode = Collections.unmodifiableMap(m);
    }

    public static NetlinkSockets query() {
        byte[] req = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) Sockets.AF_NETLINK).put((byte) NDIAG_PROTO_ALL).putShort((short) 0)
                .putInt(0).putInt(NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS).putInt(-1).putInt(-1).array();
        return new NetlinkSockets(SockDiag.dump(req, MSG_LEN, "netlink sockets").stream().map(NetlinkSockets::parse)
                .toList());
    }

    static NetlinkSock parse(SockDiag.Reply r) {
        ByteBuffer h = r.header(0);
        h.get(); // family
        int type = h.get() & 0xff;
        int protocol = h.get() & 0xff;
        int state = h.get() & 0xff;
        long portid = Integer.toUnsignedLong(h.getInt());
        long dstPortid = Integer.toUnsignedLong(h.getInt());
        long dstGroup = Integer.toUnsignedLong(h.getInt());
        long inode = Integer.toUnsignedLong(h.getInt());
        return new NetlinkSock(inode, type, protocol, state, portid, dstPortid, dstGroup, r.u32s(NETLINK_DIAG_GROUPS),
                r.u32(NETLINK_DIAG_FLAGS, -1), r.u32s(NETLINK_DIAG_MEMINFO));
    }

    public NetlinkSock get(long inode) {
        return byInode.get(inode);
    }

    public Collection<NetlinkSock> all() {
        return byInode.values();
    }

    /** The name of a netlink protocol (linux/netlink.h), or its number. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case 0 -> "route";
            case 2 -> "usersock";
            case 4 -> "sock_diag";
            case 6 -> "xfrm";
            case 9 -> "audit";
            case 10 -> "fib_lookup";
            case 11 -> "connector";
            case 12 -> "netfilter";
            case 15 -> "uevent";
            case 16 -> "generic";
            case 18 -> "scsitransport";
            case 19 -> "ecryptfs";
            case 20 -> "rdma";
            case 21 -> "crypto";
            case 22 -> "smc";
            default -> "protocol " + protocol;
        };
    }
}
