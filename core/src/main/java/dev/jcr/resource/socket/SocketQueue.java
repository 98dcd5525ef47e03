package dev.jcr.resource.socket;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.SkPacketEntry;
import dev.jcr.image.proto.SkUcredEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileImages;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What waits in a socket's receive queue, in CRIU's sk-queues.img: one entry per message (id_for is the
 * receiving socket's files.img id) followed by its bytes. A dump peeks the queue through jcr's duplicate
 * of the socket, so the process finds every byte still there; a restore sends the messages again, in
 * order, from a socket that may send to the receiver (its peer, or one made for the purpose).
 *
 * <p>Peeking walks the queue with SO_PEEK_OFF (each peek starts where the previous one ended) and puts
 * the process's own offset back afterwards. Datagram and seqpacket messages keep their boundaries;
 * a stream's bytes come in the chunks the kernel hands out.
 */
public final class SocketQueue {

    /** First guess of a message's size; a bigger one is peeked again whole. */
    private static final int PEEK_BUFFER = 256 * 1024;

    private SocketQueue() {
    }

    /**
     * One waiting message: its bytes, the sender's credentials {pid, uid, gid} when the receiver reads
     * them (SO_PASSCRED; else null), and how many file descriptors travel with it (SCM_RIGHTS).
     */
    public record Packet(byte[] data, int[] ucred, int rights) {
    }

    /**
     * The messages waiting in socket FD (jcr's fd), oldest first, none taken. MESSAGES: the socket keeps
     * message boundaries (datagram, seqpacket). Descriptors in flight are counted, not kept.
     */
    public static List<Packet> peek(int fd, boolean messages) {
        return peek(fd, messages, PEEK_BUFFER);
    }

    /**
     * The same, with HINT the bytes the kernel says are queued (a stream's total, a datagram's first
     * message): the peek buffer is sized to it, so a small queue costs a small buffer.
     */
    public static List<Packet> peek(int fd, boolean messages, long hint) {
        int saved = Sockets.getInt(fd, Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF);
        List<Packet> out = new ArrayList<>();
        long offset = 0;
        try {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF, 0);
            int first = (int) Math.max(64, Math.min(hint, PEEK_BUFFER));
            int buffer = first;
            while (true) {
                Sockets.Received r = Sockets.receive(fd, buffer, Sockets.MSG_PEEK | Sockets.MSG_DONTWAIT
                        | (messages ? Sockets.MSG_TRUNC : 0));
                if (r == null) {
                    break;
                }
                r.closeFds();
                if (messages && r.length() > r.data().length) {
                    // cut short: peek the whole message again from where it starts
                    Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF, (int) offset);
                    buffer = r.length();
                    continue;
                }
                if (!messages && r.data().length == 0) {
                    break; // end of stream: the peer shut down its side, nothing more is queued
                }
                int rights = 0;
                int[] ucred = null;
                for (Sockets.ControlMessage c : r.control()) {
                    if (c.rights()) {
                        rights += c.fds().length;
                    } else if (c.credentials()) {
                        ucred = c.ucred();
                    }
                }
                out.add(new Packet(r.data(), ucred, rights));
                offset += r.data().length;
                buffer = first;
            }
        } finally {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF, saved);
        }
        return out;
    }

    /** Writes PACKETS, the queue of the socket whose files.img id is ID_FOR, into sk-queues.img. */
    public static void dump(DumpContext ctx, int idFor, List<Packet> packets) {
        for (Packet p : packets) {
            SkPacketEntry.Builder e = SkPacketEntry.newBuilder().setIdFor(idFor).setLength(p.data().length);
            if (p.ucred() != null) {
                e.setUcred(SkUcredEntry.newBuilder().setPid(p.ucred()[0]).setUid(p.ucred()[1]).setGid(p.ucred()[2]));
            }
            ctx.addEntry(ImageKind.SK_QUEUES, null, e.build(), p.data());
        }
    }

    /** The queues of sk-queues.img by receiving socket id, read and checked once per restore. */
    public static Map<Integer, List<Packet>> of(FileImages images) {
        return images.derived(SocketQueue.class, () -> {
            Map<Integer, List<Packet>> byId = new HashMap<>();
            int n = 0;
            for (ImageEntry e : images.read(ImageKind.SK_QUEUES, null)) {
                n++;
                SkPacketEntry p = (SkPacketEntry) e.message();
                byte[] data = e.extra() == null ? new byte[0] : e.extra();
                if (data.length != p.getLength()) {
                    throw images.bad(ImageKind.SK_QUEUES, null, "entry " + n + " (id_for " + p.getIdFor() + ") has "
                            + data.length + " bytes, length says " + p.getLength());
                }
                if (p.getScmCount() > 0) {
                    throw images.bad(ImageKind.SK_QUEUES, null, "entry " + n + " (id_for " + p.getIdFor()
                            + ") carries file descriptors (scm): not supported");
                }
                int[] ucred = p.hasUcred() ? new int[] {p.getUcred().getPid(), p.getUcred().getUid(),
                        p.getUcred().getGid()} : null;
                byId.computeIfAbsent(p.getIdFor(), k -> new ArrayList<>()).add(new Packet(data, ucred, 0));
            }
            return byId;
        });
    }

    /** The waiting messages of socket ID (empty when none). */
    public static List<Packet> of(FileImages images, int id) {
        return of(images).getOrDefault(id, List.of());
    }

    /**
     * Sends PACKETS from SENDER (connected to the receiver, or sending TO its address when TO is not null)
     * without blocking: the receiver's queue is as it was. The sender's buffer is made large enough
     * first; its own options, if it is kept, are applied afterwards by its driver. WHAT names the receiver.
     */
    public static void refill(int sender, byte[] to, List<Packet> packets, String what) {
        if (packets.isEmpty()) {
            return;
        }
        long total = packets.stream().mapToLong(p -> p.data().length).sum();
        Sockets.setInt(sender, Sockets.SOL_SOCKET, Sockets.SO_SNDBUFFORCE,
                (int) Math.min(Integer.MAX_VALUE / 2, Math.max(total * 2 + packets.size() * 1024L, 1 << 20)));
        for (Packet p : packets) {
            try {
                send(sender, to, p);
            } catch (SyscallException e) {
                throw new RestoreException(e.errno() == Errno.EAGAIN ? Kind.CONFLICT : e.kind(), what + ": cannot queue "
                        + p.data().length + " bytes again (" + e.getMessage() + ")", e);
            }
        }
    }

    private static void send(int sender, byte[] to, Packet p) {
        long sent = -1;
        if (p.ucred() != null) {
            try {
                sent = Sockets.send(sender, p.data(), List.of(Sockets.ControlMessage.credentials(p.ucred()[0],
                        p.ucred()[1], p.ucred()[2])), to, Sockets.MSG_DONTWAIT);
            } catch (SyscallException e) {
                if (e.errno() != Errno.ESRCH && e.errno() != Errno.EPERM) {
                    throw e;
                }
                // the sender is gone (or jcr may not speak for it): the message goes with jcr's credentials
            }
        }
        if (sent < 0) {
            sent = Sockets.send(sender, p.data(), List.of(), to, Sockets.MSG_DONTWAIT);
        }
        // a stream may take a large chunk in parts
        while (sent < p.data().length) {
            byte[] rest = java.util.Arrays.copyOfRange(p.data(), (int) sent, p.data().length);
            sent += Sockets.send(sender, rest, List.of(), to, Sockets.MSG_DONTWAIT);
        }
    }
}
