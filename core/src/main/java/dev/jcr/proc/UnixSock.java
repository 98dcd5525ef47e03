package dev.jcr.proc;

import dev.jcr.sys.Sockets;

/**
 * One unix socket as the kernel's socket table (UNIX_DIAG) describes it.
 *
 * @param inode    the socket's inode (socket:[N])
 * @param type     SOCK_STREAM (1), SOCK_DGRAM (2) or SOCK_SEQPACKET (5)
 * @param state    TCP_ESTABLISHED (1: connected), TCP_CLOSE (7: not connected), TCP_LISTEN (10)
 * @param name     the bound address (sun_path bytes as the kernel keeps them: a path with its NUL, or
 *                 NUL then an abstract name); empty when unbound. An accepted socket reports its
 *                 listener's name.
 * @param peer     the inode of the socket it is connected to, 0 when none (or when the peer is gone)
 * @param icons    for a listener: the inodes of the clients whose connections wait to be accepted
 *                 (0 for a client that has closed its end)
 * @param rqueue   a listener: connections waiting; otherwise bytes (stream) or the first datagram's
 *                 length waiting to be read
 * @param wqueue   a listener: its backlog; otherwise the memory (skb truesize, more than the bytes)
 *                 of what it sent that the peer has not read yet: 0 when nothing is in flight
 * @param shutdown the kernel's shutdown mask: 1 = receive side shut down, 2 = send side
 * @param uid      the socket's owner
 * @param vfsInode the inode of the socket file of a path-bound socket (0 when none)
 * @param vfsDev   that file's device (the kernel's dev_t: major &lt;&lt; 20 | minor)
 * @param meminfo  SK_MEMINFO_* (rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued,
 *                 optmem, backlog, drops); empty when the kernel gave none
 */
public record UnixSock(long inode, int type, int state, byte[] name, long peer, long[] icons, long rqueue,
        long wqueue, int shutdown, long uid, long vfsInode, long vfsDev, long[] meminfo) {

    public static final int ESTABLISHED = 1;
    public static final int CLOSE = 7;
    public static final int LISTEN = 10;

    public boolean listening() {
        return state == LISTEN;
    }

    public boolean connected() {
        return state == ESTABLISHED;
    }

    public boolean bound() {
        return name.length > 0;
    }

    /** Bound to an abstract name (no file). */
    public boolean abstractName() {
        return name.length > 0 && name[0] == 0;
    }

    /** Bound to a path (a socket file). */
    public boolean pathName() {
        return name.length > 0 && name[0] != 0;
    }

    /** The name for people: a path, "@name" (abstract) or "unnamed". */
    public String nameText() {
        return Sockets.unixName(name);
    }

    /** "stream", "dgram", "seqpacket". */
    public String typeWords() {
        return switch (type) {
            case Sockets.SOCK_STREAM -> "stream";
            case Sockets.SOCK_DGRAM -> "dgram";
            case Sockets.SOCK_SEQPACKET -> "seqpacket";
            default -> "type " + type;
        };
    }

    /** Major and minor of the socket file's device. */
    public int vfsMajor() {
        return (int) (vfsDev >>> 20);
    }

    public int vfsMinor() {
        return (int) (vfsDev & 0xfffff);
    }
}
