package dev.jcr.proc;

/**
 * One TCP or UDP socket as the kernel's socket table (INET_DIAG) describes it.
 *
 * @param inode    the socket's inode (socket:[N])
 * @param protocol IPPROTO_TCP (6) or IPPROTO_UDP (17)
 * @param state    the kernel's TCP state number (UDP: 1 connected, 7 not); see {@link #stateWords}
 * @param local    bound address and port (the wildcard address when bound to every address)
 * @param remote   connected peer (port 0 when none)
 * @param rqueue   a listener: connections waiting to be accepted; TCP: bytes received and not read
 *                 yet; UDP: memory of the datagrams waiting
 * @param wqueue   a listener: its backlog; TCP: bytes sent and not acknowledged or not sent yet; UDP:
 *                 memory of a datagram being built (UDP_CORK, MSG_MORE)
 * @param shutdown the kernel's shutdown mask: 1 = receive side shut down, 2 = send side
 * @param uid      the socket's owner
 */
public record InetSock(long inode, int protocol, int state, InetEndpoint local, InetEndpoint remote, long rqueue,
        long wqueue, int shutdown, long uid) {

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    // include/net/tcp_states.h
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT1 = 4;
    public static final int FIN_WAIT2 = 5;
    public static final int TIME_WAIT = 6;
    public static final int CLOSE = 7;
    public static final int CLOSE_WAIT = 8;
    public static final int LAST_ACK = 9;
    public static final int LISTEN = 10;
    public static final int CLOSING = 11;

    public boolean tcp() {
        return protocol == IPPROTO_TCP;
    }

    public boolean listening() {
        return state == LISTEN;
    }

    public boolean established() {
        return state == ESTABLISHED;
    }

    public boolean connected() {
        return remote.port() != 0;
    }

    /** "established", "listening", "close-wait" … (TCP), "connected" / "unconnected" (UDP). */
    public String stateWords() {
        if (!tcp()) {
            return connected() ? "connected" : "unconnected";
        }
        return NetParser.tcpState(state);
    }
}
