package dev.jcr.resource.inet;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.InetSock;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.Options;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.TreeView;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Sockets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP sockets (IPv4 and IPv6) in CRIU's inet_sk_entry, of two kinds:
 * <ul>
 * <li>listening: address, port, backlog and options; restored by bind() and listen(). Connections
 * waiting in the accept queue cannot be put back there, so a listener with some is refused (as CRIU
 * does).</li>
 * <li>established: through TCP repair ({@link TcpStream}): the connection is taken up again exactly where
 * it was, neither end noticing. Both ends inside the tree need nothing; a peer outside needs
 * {@code --tcp-established} (it must still be reachable, with the same addresses, when the tree is
 * restored). While they are read, and from a dump with --kill until they are restored, the connections
 * are locked with nftables ({@link ConnectionLock}). With {@code --tcp-close} connections are dumped
 * as, and restored into, closed sockets (CRIU's option).</li>
 * </ul>
 * Other states (half-closed connections, connections being set up) are refused, except with --tcp-close.
 */
public final class TcpDriver implements FileDriver {

    @Override
    public ResourceKind kind() {
        return ResourceKind.TCP_SOCKET;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.INETSK;
    }

    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return file.hasIsk() && file.getIsk().getProto() == InetSock.IPPROTO_TCP;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "listening (address, port, backlog, SO_REUSEADDR/REUSEPORT, IPv4/IPv6,"
                + " IPV6_V6ONLY; not with connections waiting to be accepted) and established connections through TCP"
                + " repair (sequence numbers, both queues, MSS, window scale, SACK, timestamps, windows), locked with"
                + " nftables while dumped; a peer outside the tree needs --tcp-established; --tcp-close restores"
                + " connections closed");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        if (!(fd.detail() instanceof FdDetail.Socket d) || d.socket() == null) {
            return Assessment.unsupported(fd.label(), kind(), "TCP socket not found in the net tables");
        }
        String where = d.diag().unavailable();
        if (where != null) {
            return Assessment.unsupported(fd.label(), kind(), "TCP socket " + where);
        }
        InetSock s = InetTree.sock(fd);
        if (s == null) {
            return Assessment.unsupported(fd.label(), kind(), "TCP socket " + d.socket().local()
                    + ": not in the kernel's socket table any more (closed meanwhile?)");
        }
        String what = describe(s);
        if (s.listening()) {
            if (s.rqueue() > 0) {
                return Assessment.unsupported(fd.label(), kind(), what + " has " + s.rqueue() + " connection"
                        + (s.rqueue() == 1 ? "" : "s") + " waiting to be accepted: not supported (jcr cannot put them"
                        + " back in the accept queue; CRIU refuses them too)");
            }
            return Assessment.supported(fd.label(), kind(), what);
        }
        if (s.established()) {
            return Assessment.supported(fd.label(), kind(), what);
        }
        return Assessment.unsupported(fd.label(), kind(), what + ": not supported (only listening sockets and"
                + " established connections are; --tcp-close restores it closed)");
    }

    @Override
    public Assessment assessInTree(long pid, OpenFd fd, Assessment alone, TreeView tree) {
        InetSock s = InetTree.sock(fd);
        if (s == null || s.listening() || !s.connected()) {
            return alone;
        }
        String what = describe(s);
        if (tree.option(Options.TCP_CLOSE)) {
            return Assessment.supported(fd.label(), kind(), what + " (restored closed: --tcp-close)");
        }
        if (alone.verdict() != Verdict.SUPPORTED) {
            return alone;
        }
        String cannot = ConnectionLock.unavailable();
        if (cannot == null) {
            cannot = TcpRepair.unavailable();
        }
        if (cannot != null) {
            return Assessment.unsupported(fd.label(), kind(), what + ": " + cannot);
        }
        InetTree.Held peer = InetTree.of(tree).peer(s);
        if (peer != null) {
            return Assessment.supported(fd.label(), kind(), what + " (peer in the tree: " + tree.describe(peer.pid())
                    + " " + peer.fd().label() + ")");
        }
        return Assessment.needsOption(fd.label(), kind(), what + ": the peer " + s.remote() + " is outside the tree"
                + " (restorable with " + Options.TCP_ESTABLISHED + " while the peer keeps its end)", Options.TCP_ESTABLISHED);
    }

    /** "TCP socket listening on 127.0.0.1:8080 (backlog 128)", "TCP socket established A -> B", "… close-wait A -> B". */
    static String describe(InetSock s) {
        if (s.listening()) {
            return "TCP socket listening on " + s.local() + " (backlog " + s.wqueue() + ")";
        }
        return "TCP socket " + s.stateWords() + " " + s.local() + " -> " + s.remote();
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        InetSock s = InetTree.sock(fd);
        if (s == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "TCP socket no longer in the kernel's socket table");
        }
        int local = ctx.localFd(fd.fd());
        boolean stream = s.established() && !TcpDump.closing(ctx);
        if (stream && ctx.firstTime(List.of(TcpDriver.class, s.inode()))) {
            TcpDump dump = TcpDump.of(ctx); // locks every connection of the tree, the first time
            TcpStream.Saved saved = TcpStream.read(local, "fd " + fd.fd() + " of pid " + ctx.pid());
            dump.read(local);
            ctx.addEntry(ImageKind.TCP_STREAM, TcpStream.imageId(s.inode()), saved.entry(), TcpStream.blob(saved));
        }
        int backlog = s.listening() ? (int) s.wqueue() : 0;
        ctx.addFd(fd, FdTypes.INETSK, id -> InetEntries.file(InetEntries.entry(id, fd, s, local,
                InetEntries.SOCK_STREAM, backlog).build()));
    }

    // ------------------------------------------------------------------ restore

    /** How an entry comes back. */
    private enum Shape { LISTENING, ESTABLISHED, CLOSED, UNCONNECTED }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasIsk()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is an INETSK without its isk entry");
        }
        InetSkEntry e = file.getIsk();
        InetEntries.ends(e, use, images);
        if (e.getType() != InetEntries.SOCK_STREAM) {
            throw images.bad(ImageKind.FILES, null, "TCP socket " + e.getId() + " (" + use + ") has type " + e.getType()
                    + ": SOCK_STREAM (1) expected");
        }
        Shape shape = shape(e, images);
        if (shape == Shape.ESTABLISHED) {
            TcpStream.load(e, use, images);
        }
        if (shape == Shape.ESTABLISHED || shape == Shape.CLOSED) {
            // locked while restored, unlocked when the tree resumes: a lock left by a dump with --kill is lifted
            // also for a connection that comes back closed, so that its peer then learns it is gone
            connections(images).put(e.getId(), new ConnectionLock.Connection(InetEntries.local(e), InetEntries.remote(e)));
        }
    }

    /** The connections this restore brings back in repair mode, by file id, gathered at plan time. */
    private static Map<Integer, ConnectionLock.Connection> connections(FileImages images) {
        return images.derived(List.of(TcpDriver.class, "connections"), LinkedHashMap::new);
    }

    /**
     * LISTENING, UNCONNECTED (a socket in state CLOSE: bound at most), ESTABLISHED (a connection with its
     * tcp-stream image), CLOSED (a connection dumped with --tcp-close, which has none, or any connection of a
     * restore given --tcp-close). Other states are a bad image, as a connection without state would be.
     */
    private static Shape shape(InetSkEntry e, FileImages images) {
        if (e.getState() == InetSock.LISTEN) {
            return Shape.LISTENING;
        }
        if (e.getDstPort() == 0) {
            if (e.getState() != InetSock.CLOSE) {
                throw images.bad(ImageKind.FILES, null, "TCP socket " + e.getId() + " has state " + e.getState()
                        + " without a peer (dst_port 0)");
            }
            return Shape.UNCONNECTED;
        }
        if (closedByDump(images) || images.option(Options.TCP_CLOSE)) {
            return Shape.CLOSED;
        }
        if (e.getState() != InetSock.ESTABLISHED) {
            throw images.bad(ImageKind.FILES, null, "TCP socket " + e.getId() + " has state " + e.getState()
                    + ": only listening (10), established (1) and closed (7) sockets are restored");
        }
        return Shape.ESTABLISHED;
    }

    /** The dump was made with --tcp-close (inventory.tcp_close): its connections have no state to restore. */
    private static boolean closedByDump(FileImages images) {
        return images.derived(List.of(TcpDriver.class, "tcp_close"), () -> {
            List<ImageEntry> inv = images.read(ImageKind.INVENTORY, null);
            return !inv.isEmpty() && inv.get(0).message() instanceof InventoryEntry i && i.getTcpClose();
        });
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        InetSkEntry e = file.getIsk();
        String what = InetEntries.what(e, "TCP");
        InetRestore finish = InetRestore.of(ctx);
        int fd = ctx.keep(InetEntries.socket(e));
        switch (shape(e, ctx)) {
            case LISTENING -> {
                InetEntries.bind(fd, e, what);
                Sockets.listen(fd, e.getBacklog());
                InetEntries.options(fd, e);
                finish.bound(fd, e.getOpts().getReuseaddr(), false);
            }
            case ESTABLISHED -> {
                finish.lock(connections(ctx).values());
                TcpRepair.repair(fd, TcpRepair.REPAIR_ON);
                TcpStream.restore(fd, e, TcpStream.load(e, null, ctx), what);
                finish.bound(fd, e.getOpts().getReuseaddr(), true);
            }
            case CLOSED -> {
                // as CRIU's --tcp-close: a socket that never connects; reads and writes fail as on a reset one
                finish.lock(connections(ctx).values());
                InetEntries.options(fd, e);
                finish.bound(fd, e.getOpts().getReuseaddr(), false);
            }
            case UNCONNECTED -> {
                if (e.getSrcPort() != 0) {
                    InetEntries.bind(fd, e, what);
                }
                InetEntries.options(fd, e);
                finish.bound(fd, e.getOpts().getReuseaddr(), false);
            }
        }
        if (e.hasShutdown() && e.getShutdown() == dev.jcr.image.proto.SkShutdown.READ) {
            Sockets.shutdown(fd, Sockets.SHUT_RD);
        }
        return fd;
    }
}
