package dev.jcr.resource.unix;

import com.google.protobuf.ByteString;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.UnixSock;
import dev.jcr.proc.UnixSockets;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.Options;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.TreeView;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.socket.SocketFds;
import dev.jcr.resource.socket.SocketOptions;
import dev.jcr.resource.socket.SocketQueue;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unix sockets (stream, datagram, seqpacket), dumped as CRIU's unix_sk_entry in files.img and their
 * queues in sk-queues.img, and recreated in jcr: a pair connected to each other as a socketpair (an
 * accepted connection and its client too), a listener bound and listening with its pending clients
 * connected again in order (accept() returns them), a socket connected to a named one connected to that
 * name, each with its name (path, abstract, or a deleted path: {@link SocketFiles}), queued data
 * ({@link SocketQueue}: the peer sends it again), options and shutdown state.
 *
 * <p>The other end must be dumped too: a peer outside the tree is refused, naming it and who holds it,
 * unless {@code --ext-unix-sk} allows a datagram socket's named peer (reconnected at restore, as CRIU
 * does). Refused as well: file descriptors in flight (SCM_RIGHTS), data a client sent on a connection
 * not yet accepted (it cannot be read without accepting it; CRIU refuses it too), names relative to a
 * directory, sockets of another network namespace.
 */
public final class UnixSocketDriver implements FileDriver {

    /** uflags: the entry stands for a peer outside the tree (CRIU's USK_EXTERN). */
    static final int USK_EXTERN = 1;

    @Override
    public ResourceKind kind() {
        return ResourceKind.UNIX_SOCKET;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.UNIXSK;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "stream, datagram, seqpacket; pairs, names (path, abstract, deleted),"
                + " listeners with pending connections, queued data, shutdown, options; with their peers (" + Options.EXT_UNIX_SK
                + ": a datagram peer outside is reconnected); not fds in flight");
    }

    // ---------------------------------------------------------------- assess

    @Override
    public Assessment assess(OpenFd fd) {
        Assessment unreadable = SocketFds.unreadable(fd, kind());
        if (unreadable != null) {
            return unreadable;
        }
        UnixSockets all = SocketFds.diag(fd).unix();
        UnixSock s = all.get(inode(fd));
        if (s == null) {
            return SocketFds.gone(fd, kind());
        }
        String problem = problem(s, all);
        if (problem != null) {
            return Assessment.unsupported(fd.label(), kind(), words(s, all) + ": " + problem);
        }
        return Assessment.supported(fd.label(), kind(), words(s, all));
    }

    /** What makes S impossible to dump whatever the tree, or null. */
    private static String problem(UnixSock s, UnixSockets all) {
        if (s.type() != Sockets.SOCK_STREAM && s.type() != Sockets.SOCK_DGRAM && s.type() != Sockets.SOCK_SEQPACKET) {
            return "socket type " + s.type() + " is not supported";
        }
        if (s.state() != UnixSock.ESTABLISHED && s.state() != UnixSock.CLOSE && s.state() != UnixSock.LISTEN) {
            return "state " + s.state() + " (connecting): not supported";
        }
        if (s.pathName() && s.name()[0] != '/') {
            return "bound to the relative name " + s.nameText() + ": not supported";
        }
        UnixSock listener = all.listenerOf(s.inode());
        if (listener != null && s.wqueue() > 0) {
            return "sent data on a connection " + listener.nameText() + " has not accepted yet: it cannot be read"
                    + " without accepting the connection (CRIU refuses this too)";
        }
        if (s.listening()) {
            for (long icon : s.icons()) {
                if (icon == 0) {
                    return "a pending connection whose client has closed: what it sent cannot be read (CRIU refuses"
                            + " this too)";
                }
            }
        }
        return null;
    }

    /** "unix stream socket listening on /run/x.sock (2 pending connections)" and the like. */
    private static String words(UnixSock s, UnixSockets all) {
        StringBuilder w = new StringBuilder("unix " + s.typeWords() + " socket");
        if (s.listening()) {
            w.append(" listening on ").append(s.nameText());
            if (s.icons().length > 0) {
                w.append(" (").append(s.icons().length).append(" pending connection")
                        .append(s.icons().length == 1 ? ")" : "s)");
            }
            return w.toString();
        }
        if (s.bound() && !(s.connected() && s.type() != Sockets.SOCK_DGRAM)) {
            w.append(" ").append(s.nameText());
        }
        UnixSock listener = all.listenerOf(s.inode());
        if (listener != null) {
            w.append(", waiting to be accepted by ").append(listener.nameText());
        } else if (s.peer() != 0) {
            UnixSock p = all.get(s.peer());
            w.append(", connected to ").append(p != null && p.bound() ? p.nameText() : "socket:[" + s.peer() + "]");
        } else if (s.connected()) {
            w.append(", its peer closed");
        }
        if (s.rqueue() > 0) {
            w.append(", ").append(s.type() == Sockets.SOCK_STREAM ? s.rqueue() + " bytes queued" : "data queued");
        }
        return w.toString();
    }

    @Override
    public Assessment assessInTree(long pid, OpenFd fd, Assessment alone, TreeView tree) {
        if (alone.verdict() != Verdict.SUPPORTED) {
            return alone;
        }
        UnixSockets all = ((FdDetail.Socket) fd.detail()).diag().unix();
        UnixSock s = all.get(inode(fd));
        if (s == null) {
            return alone;
        }
        // a check peeks the first message; a dump peeks them all when it writes the queue (entry())
        String inFlight = tree.frozen() ? null : firstFdsInFlight(pid, fd, s);
        if (inFlight != null) {
            return Assessment.unsupported(fd.label(), kind(), words(s, all) + ": " + inFlight);
        }
        if (s.peer() != 0 && !held(tree, s.peer())) {
            UnixSock listener = all.listenerOf(s.inode());
            if (listener != null) {
                if (!held(tree, listener.inode())) {
                    return Assessment.unsupported(fd.label(), kind(), words(s, all) + " held by "
                            + holder(tree, listener.inode()) + ": outside the tree");
                }
            } else {
                UnixSock p = all.get(s.peer());
                String peer = (p != null && p.bound() ? p.nameText() : "socket:[" + s.peer() + "]") + " held by "
                        + holder(tree, s.peer());
                if (s.type() == Sockets.SOCK_DGRAM && p != null && p.bound()) {
                    return Assessment.needsOption(fd.label(), kind(), words(s, all) + " held by "
                            + holder(tree, s.peer()) + ": outside the tree; " + Options.EXT_UNIX_SK
                            + " connects it to that name again at restore", Options.EXT_UNIX_SK);
                }
                return Assessment.unsupported(fd.label(), kind(), "unix " + s.typeWords() + " socket connected to "
                        + peer + ": outside the tree (one end of a connection cannot be restored without the other)");
            }
        }
        if (s.peer() != 0 && held(tree, s.peer())) {
            UnixSock p = all.get(s.peer());
            if (p != null && p.peer() != s.inode() && !p.bound() && !p.listening()) {
                return Assessment.unsupported(fd.label(), kind(), words(s, all) + ": its peer is connected elsewhere"
                        + " and has no name to connect to again: not supported");
            }
        }
        if (s.listening()) {
            for (long client : s.icons()) {
                if (!held(tree, client)) {
                    return Assessment.unsupported(fd.label(), kind(), words(s, all) + ": the pending connection of"
                            + " socket:[" + client + "] held by " + holder(tree, client) + " is outside the tree");
                }
            }
        }
        return alone;
    }

    /**
     * File descriptors travelling in the first queued message, found by peeking it through a duplicate of
     * the socket (the process's peek offset untouched); the dump peeks every message. Null when none.
     */
    private static String firstFdsInFlight(long pid, OpenFd fd, UnixSock s) {
        if (s.listening() || (s.rqueue() == 0 && (s.meminfo().length == 0 || s.meminfo()[0] == 0))) {
            return null;
        }
        int pidfd = -1;
        int dup = -1;
        try {
            pidfd = Linux.pidfdOpen((int) pid);
            dup = Linux.pidfdGetfd(pidfd, fd.fd(), (int) pid);
            if (Sockets.getInt(dup, Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF) >= 0) {
                return null; // the process peeks with an offset itself: a peek here would move it
            }
            Sockets.Received r = Sockets.receive(dup, 1, Sockets.MSG_PEEK | Sockets.MSG_DONTWAIT);
            if (r == null) {
                return null;
            }
            r.closeFds();
            int n = r.control().stream().filter(Sockets.ControlMessage::rights).mapToInt(c -> c.fds().length).sum();
            return n == 0 ? null : inFlight(n);
        } catch (SyscallException e) {
            return null; // gone or closed meanwhile: the dump will see
        } finally {
            closeQuietly(dup);
            closeQuietly(pidfd);
        }
    }

    private static String inFlight(int n) {
        return n + " file descriptor" + (n == 1 ? "" : "s") + " in flight (SCM_RIGHTS) in its queue: not supported";
    }

    private static boolean held(TreeView tree, long inode) {
        return !tree.holding("socket:[" + inode + "]").isEmpty();
    }

    private static String holder(TreeView tree, long inode) {
        long pid = tree.proc().holderOf("socket:[" + inode + "]", tree.pids());
        return pid > 0 ? tree.describe(pid) : "no process (closed, or in flight)";
    }

    // ---------------------------------------------------------------- dump

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Socket d = (FdDetail.Socket) fd.detail();
        UnixSockets all = d.diag().unix();
        UnixSock s = all.get(inode(fd));
        if (s == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "unix socket:[" + inode(fd) + "] is no longer in"
                    + " the kernel's socket table");
        }
        ctx.addFd(fd, FdTypes.UNIXSK, id -> {
            UnixSkEntry e = entry(id, fd, s, all, ctx);
            return FileEntry.newBuilder().setType(FdTypes.UNIXSK).setId(id).setUsk(e).build();
        });
    }

    private UnixSkEntry entry(int id, OpenFd fd, UnixSock s, UnixSockets all, DumpContext ctx) {
        int local = ctx.localFd(fd.fd());
        UnixSock listener = all.listenerOf(s.inode());
        // a client waiting to be accepted names the listener as its peer: restore connects it there (CRIU's way)
        long peer = listener != null ? listener.inode() : s.peer();
        UnixSkEntry.Builder e = UnixSkEntry.newBuilder().setId(id).setIno((int) s.inode()).setType(s.type())
                .setState(s.state()).setFlags(FileEntries.fileFlags(fd)).setUflags(0)
                .setBacklog(s.listening() ? (int) s.wqueue() : 0).setPeer((int) peer)
                .setFown(FileEntries.noOwner()).setOpts(SocketOptions.read(local))
                .setName(ByteString.copyFrom(s.name()));
        if (s.shutdown() != 0) {
            e.setShutdown(SocketOptions.shutdown(s.shutdown()));
        }
        if (s.pathName()) {
            SocketFiles.Dumped f = SocketFiles.of(local, s);
            e.setFilePerms(f.perms());
            if (f.deleted()) {
                e.setDeleted(true);
            }
        }
        if (!s.listening() && (s.rqueue() > 0 || (s.meminfo().length > 0 && s.meminfo()[0] > 0))) {
            List<SocketQueue.Packet> queue = SocketQueue.peek(local, s.type() != Sockets.SOCK_STREAM, s.rqueue());
            int rights = queue.stream().mapToInt(SocketQueue.Packet::rights).sum();
            if (rights > 0) {
                throw new NotDumpableException(ctx.pid(), fd.label(), words(s, all) + ": " + inFlight(rights));
            }
            SocketQueue.dump(ctx, id, queue);
        }
        Peers peers = ctx.shared(Peers.class, Peers::new);
        peers.dumped.add(s.inode());
        if (peer != 0) {
            peers.wanted.put(s.inode(), new Wanted(ctx.pid(), fd.label(), peer, s.type() == Sockets.SOCK_DGRAM
                    && ctx.option(Options.EXT_UNIX_SK) ? all.get(peer) : null));
        }
        ctx.atEnd(Peers.class, () -> peers.check(ctx));
        return e.build();
    }

    /** A peer a dumped socket needs: dumped too, or outside and allowed (EXTERNAL, a named datagram socket). */
    private record Wanted(int pid, String fd, long peer, UnixSock external) {
    }

    /** The sockets of one dump and the peers they need, checked once every process is dumped. */
    private static final class Peers {
        final Set<Long> dumped = new HashSet<>();
        final Map<Long, Wanted> wanted = new LinkedHashMap<>();

        /** Every peer is in the images; a peer allowed outside gets CRIU's USK_EXTERN entry, once. */
        void check(DumpContext ctx) {
            Map<Long, UnixSock> external = new LinkedHashMap<>();
            for (Wanted w : wanted.values()) {
                if (dumped.contains(w.peer())) {
                    continue;
                }
                if (w.external() == null || !w.external().bound()) {
                    throw new NotDumpableException(w.pid(), w.fd(), "its peer, unix socket:[" + w.peer() + "], was not"
                            + " dumped: it left the tree, or is outside it");
                }
                external.put(w.peer(), w.external());
            }
            for (UnixSock p : external.values()) {
                ctx.addFile(id -> FileEntry.newBuilder().setType(FdTypes.UNIXSK).setId(id).setUsk(UnixSkEntry.newBuilder()
                        .setId(id).setIno((int) p.inode()).setType(Sockets.SOCK_DGRAM).setState(UnixSock.LISTEN)
                        .setFlags(0).setUflags(USK_EXTERN).setBacklog(0).setPeer(0).setFown(FileEntries.noOwner())
                        .setOpts(SkOptsEntry.newBuilder().setSoSndbuf(0).setSoRcvbuf(0).setSoSndTmoSec(0)
                                .setSoSndTmoUsec(0).setSoRcvTmoSec(0).setSoRcvTmoUsec(0))
                        .setName(ByteString.copyFrom(p.name()))).build());
            }
            dumped.addAll(external.keySet());
        }
    }

    // ---------------------------------------------------------------- restore

    /** Every unix socket entry of files.img by inode (extern peers included), checked once per restore. */
    static Map<Long, UnixSkEntry> plan(FileImages images) {
        return images.derived(UnixSocketDriver.class, () -> {
            Map<Long, UnixSkEntry> byIno = new HashMap<>();
            for (var ie : images.read(ImageKind.FILES, null)) {
                FileEntry f = (FileEntry) ie.message();
                if (f.getType() == FdTypes.UNIXSK && f.hasUsk()) {
                    byIno.put(Integer.toUnsignedLong(f.getUsk().getIno()), f.getUsk());
                }
            }
            return byIno;
        });
    }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasUsk()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a unix socket without"
                    + " its usk entry");
        }
        UnixSkEntry e = file.getUsk();
        String at = "file " + file.getId() + " (" + use + ", unix socket ino " + Integer.toUnsignedLong(e.getIno()) + ")";
        if (e.getType() != Sockets.SOCK_STREAM && e.getType() != Sockets.SOCK_DGRAM && e.getType() != Sockets.SOCK_SEQPACKET) {
            throw images.bad(ImageKind.FILES, null, at + ": usk.type " + e.getType() + " is no unix socket type");
        }
        if (e.getState() != UnixSock.ESTABLISHED && e.getState() != UnixSock.CLOSE && e.getState() != UnixSock.LISTEN) {
            throw images.bad(ImageKind.FILES, null, at + ": usk.state " + e.getState() + " is none of 1, 7, 10");
        }
        if (e.getName().size() > Sockets.UNIX_PATH_MAX) {
            throw images.bad(ImageKind.FILES, null, at + ": usk.name of " + e.getName().size() + " bytes (at most "
                    + Sockets.UNIX_PATH_MAX + ")");
        }
        if ((e.getUflags() & USK_EXTERN) != 0) {
            throw new RestoreException(Kind.UNSUPPORTED, use + ": an fd on the stand-in of a peer outside the tree");
        }
        Map<Long, UnixSkEntry> plan = plan(images);
        if (e.getPeer() != 0 && !plan.containsKey(Integer.toUnsignedLong(e.getPeer()))) {
            throw images.bad(ImageKind.FILES, null, at + ": usk.peer " + Integer.toUnsignedLong(e.getPeer())
                    + " is no unix socket of files.img");
        }
        if (pathName(e)) {
            if (e.getName().byteAt(0) != '/') {
                throw new RestoreException(Kind.UNSUPPORTED, use + ": unix socket bound to the relative name "
                        + Sockets.unixName(e.getName().toByteArray()) + " (usk.name_dir): not supported");
            }
            if (bindable(e)) {
                SocketFiles.check(e, use.toString());
            }
        }
        SocketQueue.of(images);
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        return ctx.state(UnixRestore.class, () -> new UnixRestore(plan(ctx), ctx)).fd(file.getUsk());
    }

    static boolean pathName(UnixSkEntry e) {
        return e.getName().size() > 0 && e.getName().byteAt(0) != 0;
    }

    /**
     * Whether a restore binds E's name: not for a connected stream or seqpacket socket, whose name is its
     * listener's (an accepted connection) and in use by that listener (CRIU binds them neither).
     */
    static boolean bindable(UnixSkEntry e) {
        return e.getName().size() > 0 && !(e.getState() == UnixSock.ESTABLISHED && e.getType() != Sockets.SOCK_DGRAM);
    }

    private static long inode(OpenFd fd) {
        return SocketFds.inode(fd);
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                Linux.close(fd);
            } catch (SyscallException ignored) {
                // already closed
            }
        }
    }
}
