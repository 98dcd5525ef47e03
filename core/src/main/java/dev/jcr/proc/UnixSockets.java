package dev.jcr.proc;

import dev.jcr.sys.SockDiag;
import dev.jcr.sys.Sockets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every unix socket of jcr's network namespace, from the kernel's socket table (UNIX_DIAG), by inode,
 * with the reverse of the listeners' pending connections (which listener a waiting client belongs to).
 */
public final class UnixSockets {

    // linux/unix_diag.h
    static final int UDIAG_SHOW_NAME = 0x01;
    static final int UDIAG_SHOW_VFS = 0x02;
    static final int UDIAG_SHOW_PEER = 0x04;
    static final int UDIAG_SHOW_ICONS = 0x08;
    static final int UDIAG_SHOW_RQLEN = 0x10;
    static final int UDIAG_SHOW_MEMINFO = 0x20;
    static final int UDIAG_SHOW_UID = 0x40;
    static final int UNIX_DIAG_NAME = 0;
    static final int UNIX_DIAG_VFS = 1;
    static final int UNIX_DIAG_PEER = 2;
    static final int UNIX_DIAG_ICONS = 3;
    static final int UNIX_DIAG_RQLEN = 4;
    static final int UNIX_DIAG_MEMINFO = 5;
    static final int UNIX_DIAG_SHUTDOWN = 6;
    static final int UNIX_DIAG_UID = 7;
    /** sizeof(struct unix_diag_msg). */
    static final int MSG_LEN = 16;

    private final Map<Long, UnixSock> byInode;
    private final Map<Long, Long> listenerOf;

    public UnixSockets(Collection<UnixSock> sockets) {
        Map<Long, UnixSock> m = new HashMap<>();
        Map<Long, Long> l = new HashMap<>();
        for (UnixSock s : sockets) {
            m.put(s.inode(), s);
            for (long icon : s.icons()) {
                if (icon != 0) {
                    l.put(icon, s.inode());
                }
            }
        }
        this.byInode = Collections.unmodifiableMap(m);
        this.listenerOf = Collections.unmodifiableMap(l);
    }

    /** Asks the kernel (one dump of every unix socket with every detail). */
    public static UnixSockets query() {
        byte[] req = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) Sockets.AF_UNIX).put((byte) 0).putShort((short) 0)
                .putInt(-1) // every state
                .putInt(0)  // every inode
                .putInt(UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN
                        | UDIAG_SHOW_MEMINFO | UDIAG_SHOW_UID)
                .putInt(-1).putInt(-1).array();
        List<SockDiag.Reply> replies = SockDiag.dump(req, MSG_LEN, "unix sockets");
        return new UnixSockets(replies.stream().map(UnixSockets::parse).toList());
    }

    /** One UNIX_DIAG reply. */
    static UnixSock parse(SockDiag.Reply r) {
        ByteBuffer h = r.header(0);
        h.get(); // family
        int type = h.get() & 0xff;
        int state = h.get() & 0xff;
        h.get();
        long inode = Integer.toUnsignedLong(h.getInt());
        byte[] name = r.has(UNIX_DIAG_NAME) ? r.attribute(UNIX_DIAG_NAME) : new byte[0];
        long vfsIno = 0;
        long vfsDev = 0;
        if (r.has(UNIX_DIAG_VFS)) {
            ByteBuffer v = ByteBuffer.wrap(r.attribute(UNIX_DIAG_VFS)).order(ByteOrder.LITTLE_ENDIAN);
            vfsIno = Integer.toUnsignedLong(v.getInt());
            vfsDev = Integer.toUnsignedLong(v.getInt());
        }
        long rq = 0;
        long wq = 0;
        if (r.has(UNIX_DIAG_RQLEN)) {
            ByteBuffer q = ByteBuffer.wrap(r.attribute(UNIX_DIAG_RQLEN)).order(ByteOrder.LITTLE_ENDIAN);
            rq = Integer.toUnsignedLong(q.getInt());
            wq = Integer.toUnsignedLong(q.getInt());
        }
        return new UnixSock(inode, type, state, name, r.u32(UNIX_DIAG_PEER, 0), r.u32s(UNIX_DIAG_ICONS), rq, wq,
                r.u8(UNIX_DIAG_SHUTDOWN, 0), r.u32(UNIX_DIAG_UID, -1), vfsIno, vfsDev, r.u32s(UNIX_DIAG_MEMINFO));
    }

    /** The socket with INODE, or null (closed meanwhile, or not a unix socket of this namespace). */
    public UnixSock get(long inode) {
        return byInode.get(inode);
    }

    /** The listener whose backlog holds the pending connection of client CLIENT_INODE, or null. */
    public UnixSock listenerOf(long clientInode) {
        Long l = listenerOf.get(clientInode);
        return l == null ? null : byInode.get(l);
    }

    /** The sockets bound to the socket file with inode VFS_INODE on device VFS_DEV (kernel dev_t). */
    public List<UnixSock> boundTo(long vfsInode, long vfsDev) {
        return byInode.values().stream().filter(s -> s.vfsInode() == vfsInode && s.vfsDev() == vfsDev).toList();
    }

    public Collection<UnixSock> all() {
        return byInode.values();
    }

    public int size() {
        return byInode.size();
    }
}
