package dev.jcr.resource.inet;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.FdKind;
import dev.jcr.proc.InetEndpoint;
import dev.jcr.proc.InetSock;
import dev.jcr.proc.InetSockets;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.TreeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The TCP connections of a tree (a check's or a dump's {@link TreeView}), indexed once per view: which
 * fd of the tree holds the other end of a connection, and every established connection (what a dump
 * locks). A server with a thousand connections is looked up a thousand times: the index keeps that
 * linear.
 */
final class InetTree {

    /** One view's index; views are made per check and per dump and dropped after, so are their indexes. */
    private static final Map<TreeView, InetTree> INDEXES = Collections.synchronizedMap(new WeakHashMap<>());

    /** An established connection of the tree: who holds it and what the kernel says of it. */
    record Held(long pid, OpenFd fd, InetSock sock) {
        ConnectionLock.Connection connection() {
            return new ConnectionLock.Connection(sock.local(), sock.remote());
        }
    }

    private final Map<List<InetEndpoint>, Held> byEnds = new HashMap<>();
    private final List<Held> established = new ArrayList<>();

    private InetTree(TreeView tree) {
        for (TreeView.Held h : tree.find(fd -> fd.kind() == FdKind.TCP)) {
            InetSock s = sock(h.fd());
            if (s != null && s.established()) {
                Held held = new Held(h.pid(), h.fd(), s);
                established.add(held);
                byEnds.putIfAbsent(List.of(s.local().plain(), s.remote().plain()), held);
            }
        }
    }

    static InetTree of(TreeView tree) {
        return INDEXES.computeIfAbsent(tree, InetTree::new);
    }

    /** The kernel's record of TCP socket FD, or null when there is none to be had (another namespace, gone). */
    static InetSock sock(OpenFd fd) {
        if (fd.detail() instanceof FdDetail.Socket d && d.socket() != null && d.diag().unavailable() == null) {
            return InetSockets.find(d.diag(), InetSock.IPPROTO_TCP, d.socket().inode());
        }
        return null;
    }

    /** The fd of the tree holding the other end of connection S, or null when the peer is outside. */
    Held peer(InetSock s) {
        return byEnds.get(List.of(s.remote().plain(), s.local().plain()));
    }

    /** Every established connection of the tree, one per socket fd (a socket held twice comes twice). */
    List<Held> established() {
        return established;
    }
}
