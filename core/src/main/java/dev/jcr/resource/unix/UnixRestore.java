package dev.jcr.resource.unix;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.proc.UnixSock;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.socket.SocketOptions;
import dev.jcr.resource.socket.SocketQueue;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The unix sockets of one restore, made in jcr by inode as the engine asks for them (any order), in two
 * steps so that no socket waits for another in a cycle: a socket is first created (with its name bound,
 * listening if it listened, its queue refilled) and then set up (connected to its peer, options, flags,
 * shutdown). A socket connects only to a peer that was created, never to one being set up.
 */
final class UnixRestore {

    private static final int O_NONBLOCK = 0x800;
    private static final int F_SETFL = 4;

    private final Map<Long, UnixSkEntry> plan;
    private final RestoreContext ctx;
    /** jcr's fd of every socket created so far, by inode. */
    private final Map<Long, Integer> fds = new HashMap<>();
    /** Sockets whose setup is complete. */
    private final Set<Long> done = new HashSet<>();
    /** O_PATH fds of socket files whose names were deleted: peers connect through /proc/self/fd/N. */
    private final Map<Long, Integer> ghosts = new HashMap<>();

    UnixRestore(Map<Long, UnixSkEntry> plan, RestoreContext ctx) {
        this.plan = plan;
        this.ctx = ctx;
    }

    /** jcr's fd of socket E, completely set up. */
    int fd(UnixSkEntry e) {
        long ino = ino(e);
        if (done.contains(ino)) {
            return fds.get(ino);
        }
        UnixSkEntry peer = peer(e);
        if (peer != null && mutual(e, peer)) {
            pair(e, peer);
        } else if (peer != null && pendingClientOf(e, peer)) {
            fd(peer); // the listener connects its pending clients, in order
            if (!done.contains(ino)) {
                throw new RestoreException(Kind.INTERNAL, who(e) + ": not connected by its listener");
            }
        } else {
            created(e);
            if (peer != null) {
                connect(e, peer);
            }
            finish(e);
            if (e.getState() == UnixSock.LISTEN) {
                clients(e);
            }
        }
        return fds.get(ino);
    }

    // ---------------------------------------------------------------- the shapes

    /** Two sockets connected to each other: one socketpair, each end's queue sent by the other end. */
    private void pair(UnixSkEntry a, UnixSkEntry b) {
        int[] sv = Sockets.socketpair(Sockets.AF_UNIX, a.getType());
        fds.put(ino(a), ctx.keep(sv[0]));
        fds.put(ino(b), ctx.keep(sv[1]));
        bindName(sv[0], a);
        bindName(sv[1], b);
        SocketQueue.refill(sv[1], null, SocketQueue.of(ctx, a.getId()), who(a));
        SocketQueue.refill(sv[0], null, SocketQueue.of(ctx, b.getId()), who(b));
        finish(a);
        finish(b);
    }

    /**
     * Makes socket E (once): a queue to refill comes from the other end of a socketpair (dissolved for a
     * datagram socket, closed for a stream whose peer had closed), its name is bound, a listener listens.
     */
    private void created(UnixSkEntry e) {
        long ino = ino(e);
        if (fds.containsKey(ino)) {
            return;
        }
        List<SocketQueue.Packet> queue = SocketQueue.of(ctx, e.getId());
        boolean orphan = e.getState() == UnixSock.ESTABLISHED && e.getType() != Sockets.SOCK_DGRAM && e.getPeer() == 0;
        int fd;
        if (!queue.isEmpty() || orphan) {
            int[] sv = Sockets.socketpair(Sockets.AF_UNIX, e.getType());
            fd = ctx.keep(sv[0]);
            try {
                if (e.getType() == Sockets.SOCK_DGRAM) {
                    Sockets.connect(fd, Sockets.unspecAddress()); // no peer, as dumped; the other end may still send
                }
                SocketQueue.refill(sv[1], null, queue, who(e));
            } finally {
                Linux.close(sv[1]); // a stream whose peer closed sees the end of its data, as before
            }
        } else {
            fd = ctx.keep(Sockets.socket(Sockets.AF_UNIX, e.getType(), 0));
        }
        fds.put(ino, fd);
        bindName(fd, e);
        if (e.getState() == UnixSock.LISTEN) {
            Sockets.listen(fd, e.getBacklog());
        }
    }

    /** Connects E to PEER: by PEER's name (a deleted one through its O_PATH fd), or the name of one outside. */
    private void connect(UnixSkEntry e, UnixSkEntry peer) {
        byte[] address;
        if ((peer.getUflags() & UnixSocketDriver.USK_EXTERN) != 0) {
            address = Sockets.unixAddress(peer.getName().toByteArray());
        } else {
            created(peer);
            address = address(peer);
        }
        try {
            Sockets.connect(fds.get(ino(e)), address);
        } catch (SyscallException x) {
            throw new RestoreException(x.errno() == Errno.ECONNREFUSED || x.errno() == Errno.ENOENT ? Kind.CONFLICT
                    : x.kind(), who(e) + ": cannot connect to " + Sockets.unixName(peer.getName().toByteArray())
                    + " again (" + x.errnoName() + ")" + ((peer.getUflags() & UnixSocketDriver.USK_EXTERN) != 0
                    ? ": the peer outside the tree is gone" : ""), x);
        }
    }

    /** The pending clients of listener L, connected again oldest first (their inodes' order). */
    private void clients(UnixSkEntry l) {
        plan.values().stream().filter(c -> c.getPeer() == l.getIno() && pendingClientOf(c, l))
                .sorted((x, y) -> Long.compare(ino(x), ino(y))).forEach(c -> {
                    created(c);
                    connect(c, l);
                    finish(c);
                });
    }

    /** Flags (O_NONBLOCK), options and shutdown: the last step of a socket's setup. */
    private void finish(UnixSkEntry e) {
        int fd = fds.get(ino(e));
        if ((e.getFlags() & O_NONBLOCK) != 0) {
            Linux.fcntl(fd, F_SETFL, O_NONBLOCK);
        }
        SocketOptions.apply(fd, e.getOpts());
        if (e.hasShutdown()) {
            SocketOptions.shutdown(fd, e.getShutdown());
        }
        done.add(ino(e));
    }

    // ---------------------------------------------------------------- names

    private void bindName(int fd, UnixSkEntry e) {
        if (!UnixSocketDriver.bindable(e)) {
            return;
        }
        if (UnixSocketDriver.pathName(e)) {
            int ghost = SocketFiles.bind(fd, e, ctx, who(e));
            if (ghost >= 0) {
                ghosts.put(ino(e), ghost);
            }
            return;
        }
        try {
            Sockets.bind(fd, Sockets.unixAddress(e.getName().toByteArray()));
        } catch (SyscallException x) {
            throw new RestoreException(x.errno() == Errno.EADDRINUSE ? Kind.CONFLICT : x.kind(), who(e) + ": the"
                    + " abstract name " + Sockets.unixName(e.getName().toByteArray()) + " is in use", x);
        }
    }

    /** Where to connect to socket P (created): its name, or /proc/self/fd/N of its deleted file. */
    private byte[] address(UnixSkEntry p) {
        Integer ghost = ghosts.get(ino(p));
        if (ghost != null) {
            return Sockets.unixAddress(("/proc/self/fd/" + ghost + "\0").getBytes(StandardCharsets.UTF_8));
        }
        if (p.getName().isEmpty()) {
            throw new RestoreException(Kind.UNSUPPORTED, who(p) + " has no name: its peers cannot connect to it again");
        }
        return Sockets.unixAddress(p.getName().toByteArray());
    }

    // ---------------------------------------------------------------- relations

    private UnixSkEntry peer(UnixSkEntry e) {
        return e.getPeer() == 0 ? null : plan.get(Integer.toUnsignedLong(e.getPeer()));
    }

    /** A pair connected to each other (a socketpair, or an accepted connection and its client). */
    private static boolean mutual(UnixSkEntry e, UnixSkEntry peer) {
        return peer.getPeer() == e.getIno() && peer.getIno() != e.getIno() && peer.getState() != UnixSock.LISTEN
                && (peer.getUflags() & UnixSocketDriver.USK_EXTERN) == 0;
    }

    /** E waits in listener L's backlog (its peer is the listener). */
    private static boolean pendingClientOf(UnixSkEntry e, UnixSkEntry l) {
        return l.getState() == UnixSock.LISTEN && e.getState() == UnixSock.ESTABLISHED
                && e.getType() != Sockets.SOCK_DGRAM;
    }

    private static long ino(UnixSkEntry e) {
        return Integer.toUnsignedLong(e.getIno());
    }

    private static String who(UnixSkEntry e) {
        return "unix socket ino " + ino(e) + (e.getName().isEmpty() ? "" : " (" + Sockets.unixName(e.getName().toByteArray())
                + ")");
    }
}
