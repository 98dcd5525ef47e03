package dev.jcr.resource.netlink;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.NetlinkSkEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.NetlinkSock;
import dev.jcr.proc.NetlinkSockets;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.socket.SocketFds;
import dev.jcr.resource.socket.SocketOptions;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Netlink sockets of the common protocols (route, uevent, generic), dumped as CRIU's netlink_sk_entry
 * and recreated as CRIU does: the protocol, the bound port id and multicast groups (all of them, also
 * above 32, through NETLINK_ADD_MEMBERSHIP), the connected destination, the socket options and the
 * netlink flags (PKTINFO, BROADCAST_ERROR, NO_ENOBUFS, LISTEN_ALL_NSID, CAP_ACK; jcr's field, unknown to
 * CRIU). Messages not yet read are not restored (CRIU refuses such a socket): they are the kernel's
 * answers and notifications of a moment that is gone, and a netlink reader copes with lost
 * notifications anyway (a full socket drops them too, with ENOBUFS).
 */
public final class NetlinkSocketDriver implements FileDriver {

    private static final Set<Integer> PROTOCOLS = Set.of(0 /* route */, 15 /* uevent */, 16 /* generic */);
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int NETLINK_PKTINFO = 3;
    private static final int NETLINK_BROADCAST_ERROR = 4;
    private static final int NETLINK_NO_ENOBUFS = 5;
    private static final int NETLINK_LISTEN_ALL_NSID = 8;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int O_NONBLOCK = 0x800;

    @Override
    public ResourceKind kind() {
        return ResourceKind.NETLINK_SOCKET;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.NETLINKSK;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "route, uevent and generic: port id, groups, destination, options;"
                + " unread messages are dropped");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        Assessment unreadable = SocketFds.unreadable(fd, kind());
        if (unreadable != null) {
            return unreadable;
        }
        NetlinkSock s = SocketFds.diag(fd).netlink().get(inode(fd));
        if (s == null) {
            return SocketFds.gone(fd, kind());
        }
        String words = "netlink " + s.protocolWords() + " socket (port " + s.portid() + ")";
        if (!PROTOCOLS.contains(s.protocol())) {
            return Assessment.unsupported(fd.label(), kind(), words + ": only route, uevent and generic netlink are"
                    + " supported");
        }
        if (s.flags() > 0 && (s.flags() & NetlinkSock.NDIAG_FLAG_CB_RUNNING) != 0) {
            return Assessment.unsupported(fd.label(), kind(), words + ": a netlink dump is in progress: not supported");
        }
        return Assessment.supported(fd.label(), kind(), words + (s.queuedBytes() > 0 ? "; its unread messages ("
                + s.queuedBytes() + " bytes) are dropped" : ""));
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        NetlinkSock s = ((FdDetail.Socket) fd.detail()).diag().netlink().get(inode(fd));
        if (s == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "netlink socket:[" + inode(fd) + "] is gone");
        }
        ctx.addFd(fd, FdTypes.NETLINKSK, id -> {
            int local = ctx.localFd(fd.fd());
            NetlinkSkEntry.Builder e = NetlinkSkEntry.newBuilder().setId(id).setIno((int) s.inode())
                    .setProtocol(s.protocol()).setState(s.state()).setFlags(FileEntries.fileFlags(fd))
                    .setPortid((int) s.portid()).setDstPortid((int) s.dstPortid()).setDstGroup((int) s.dstGroup())
                    .setFown(FileEntries.noOwner()).setOpts(SocketOptions.read(local));
            long[] groups = s.groups();
            int last = groups.length;
            while (last > 0 && groups[last - 1] == 0) {
                last--;
            }
            for (int i = 0; i < last; i++) {
                e.addGroups((int) groups[i]);
            }
            if (s.flags() > 0) {
                e.setJcrNlFlags((int) s.flags());
            }
            return FileEntry.newBuilder().setType(FdTypes.NETLINKSK).setId(id).setNlsk(e).build();
        });
    }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasNlsk()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a netlink socket"
                    + " without its nlsk entry");
        }
        NetlinkSkEntry e = file.getNlsk();
        if (e.getProtocol() < 0 || e.getProtocol() > 31) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + "): nlsk.protocol "
                    + e.getProtocol() + " is no netlink protocol");
        }
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        NetlinkSkEntry e = file.getNlsk();
        String who = "netlink " + NetlinkSockets.protocolName(e.getProtocol()) + " socket (port "
                + Integer.toUnsignedLong(e.getPortid()) + ")";
        int fd = ctx.keep(Sockets.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW, e.getProtocol()));
        int firstGroups = e.getGroupsCount() > 0 ? e.getGroups(0) : 0;
        if (e.getPortid() != 0 || firstGroups != 0) {
            try {
                Sockets.bind(fd, address(e.getPortid(), firstGroups));
            } catch (SyscallException x) {
                throw new RestoreException(x.errno() == Errno.EADDRINUSE ? Kind.CONFLICT : x.kind(), who + ": cannot"
                        + " bind its port id again (" + x.errnoName() + ")" + (x.errno() == Errno.EADDRINUSE
                        ? ": another socket has it" : ""), x);
            }
        }
        for (int w = 1; w < e.getGroupsCount(); w++) {
            for (int b = 0; b < 32; b++) {
                if ((e.getGroups(w) & (1 << b)) != 0) {
                    Sockets.setInt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, w * 32 + b + 1);
                }
            }
        }
        if (e.getState() == 1) {
            Sockets.connect(fd, address(e.getDstPortid(), e.getDstGroup() == 0 ? 0 : 1 << (e.getDstGroup() - 1)));
        }
        int flags = e.getJcrNlFlags();
        setIf(fd, flags, NetlinkSock.NDIAG_FLAG_PKTINFO, NETLINK_PKTINFO);
        setIf(fd, flags, NetlinkSock.NDIAG_FLAG_BROADCAST_ERROR, NETLINK_BROADCAST_ERROR);
        setIf(fd, flags, NetlinkSock.NDIAG_FLAG_NO_ENOBUFS, NETLINK_NO_ENOBUFS);
        setIf(fd, flags, NetlinkSock.NDIAG_FLAG_LISTEN_ALL_NSID, NETLINK_LISTEN_ALL_NSID);
        setIf(fd, flags, NetlinkSock.NDIAG_FLAG_CAP_ACK, NETLINK_CAP_ACK);
        if ((e.getFlags() & O_NONBLOCK) != 0) {
            Linux.fcntl(fd, 4 /* F_SETFL */, O_NONBLOCK);
        }
        SocketOptions.apply(fd, e.getOpts());
        return fd;
    }

    private static void setIf(int fd, int flags, int flag, int option) {
        if ((flags & flag) != 0) {
            Sockets.setInt(fd, SOL_NETLINK, option, 1);
        }
    }

    /** sockaddr_nl: family, pad, port id, groups. */
    private static byte[] address(int portid, int groups) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort((short) Sockets.AF_NETLINK)
                .putShort((short) 0).putInt(portid).putInt(groups).array();
    }

    private static long inode(OpenFd fd) {
        return SocketFds.inode(fd);
    }
}
