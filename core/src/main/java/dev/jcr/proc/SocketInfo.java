package dev.jcr.proc;

/**
 * A socket as the /proc/PID/net tables show it (unix, tcp, tcp6, udp, udp6, raw, raw6, netlink,
 * packet), keyed by inode.
 *
 * @param inode   socket inode (the N in socket:[N])
 * @param kind    which of the socket fd kinds this is
 * @param family  "unix", "inet", "inet6", "netlink", "packet"
 * @param state   plain words: "listening", "connected", "unconnected", "established", "time-wait" …
 * @param local   local address: a unix path ("@name" for abstract, "" for unnamed), "127.0.0.1:8080",
 *                "[::1]:53", a netlink protocol number, a packet interface index
 * @param remote  remote address for inet sockets ("" when none)
 */
public record SocketInfo(long inode, FdKind kind, String family, String state, String local, String remote) {

    public boolean listening() {
        return "listening".equals(state);
    }
}
