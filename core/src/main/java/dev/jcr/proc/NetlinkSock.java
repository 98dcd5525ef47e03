package dev.jcr.proc;

/**
 * One bound netlink socket as the kernel's socket table (NETLINK_DIAG) describes it.
 *
 * @param inode     socket:[N]
 * @param type      SOCK_RAW or SOCK_DGRAM
 * @param protocol  NETLINK_ROUTE (0), NETLINK_KOBJECT_UEVENT (15), NETLINK_GENERIC (16) …
 * @param state     0 unconnected, 1 connected (NETLINK_CONNECTED)
 * @param portid    the bound port id
 * @param dstPortid the port id it is connected to
 * @param dstGroup  the group it is connected to
 * @param groups    multicast groups joined, as a bitmap of u32 words (bit N-1 of the whole = group N)
 * @param flags     NDIAG_FLAG_* (CB_RUNNING 1, PKTINFO 2, BROADCAST_ERROR 4, NO_ENOBUFS 8,
 *                  LISTEN_ALL_NSID 0x10, CAP_ACK 0x20), -1 when not given
 * @param meminfo   SK_MEMINFO_* (rmem_alloc first: bytes of messages not yet read)
 */
public record NetlinkSock(long inode, int type, int protocol, int state, long portid, long dstPortid, long dstGroup,
        long[] groups, long flags, long[] meminfo) {

    public static final int NDIAG_FLAG_CB_RUNNING = 0x1;
    public static final int NDIAG_FLAG_PKTINFO = 0x2;
    public static final int NDIAG_FLAG_BROADCAST_ERROR = 0x4;
    public static final int NDIAG_FLAG_NO_ENOBUFS = 0x8;
    public static final int NDIAG_FLAG_LISTEN_ALL_NSID = 0x10;
    public static final int NDIAG_FLAG_CAP_ACK = 0x20;

    /** Bytes of messages queued for reading (SK_MEMINFO_RMEM_ALLOC), 0 when unknown. */
    public long queuedBytes() {
        return meminfo.length > 0 ? meminfo[0] : 0;
    }

    /** "route", "uevent", "generic", or the protocol number. */
    public String protocolWords() {
        return NetlinkSockets.protocolName(protocol);
    }
}
