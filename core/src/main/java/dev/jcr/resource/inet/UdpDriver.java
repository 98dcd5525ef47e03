package dev.jcr.resource.inet;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.InetSock;
import dev.jcr.proc.InetSockets;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.socket.SocketOptions;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;

/**
 * UDP sockets (IPv4 and IPv6) in CRIU's inet_sk_entry: bound address and port, connected peer, options
 * (SO_BROADCAST, SO_REUSEADDR/REUSEPORT, buffers …) and shutdown state; restored by bind(), connect()
 * and shutdown().
 *
 * <p>Datagrams waiting to be read are dropped, as CRIU drops them: putting one back means sending it again
 * from its sender's address and port, which jcr cannot take (a remote address, or a port another socket
 * holds) without raw sockets, and UDP promises no delivery anyway. The check says how much is waiting. A
 * datagram being built (UDP_CORK, MSG_MORE) is refused: it would be lost half-written.
 */
public final class UdpDriver implements FileDriver {

    @Override
    public ResourceKind kind() {
        return ResourceKind.UDP_SOCKET;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.INETSK;
    }

    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return file.hasIsk() && file.getIsk().getProto() == InetSock.IPPROTO_UDP;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "bound and connected, IPv4/IPv6, options and shutdown state; datagrams"
                + " waiting to be read are dropped (as CRIU); not while a corked datagram is being built");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        if (!(fd.detail() instanceof FdDetail.Socket d) || d.socket() == null) {
            return Assessment.unsupported(fd.label(), kind(), "UDP socket not found in the net tables");
        }
        String where = d.diag().unavailable();
        if (where != null) {
            return Assessment.unsupported(fd.label(), kind(), "UDP socket " + where);
        }
        InetSock s = InetSockets.find(d.diag(), InetSock.IPPROTO_UDP, d.socket().inode());
        if (s == null) {
            return Assessment.unsupported(fd.label(), kind(), "UDP socket " + d.socket().local()
                    + ": not in the kernel's socket table any more (closed meanwhile?)");
        }
        String what = describe(s);
        if (s.wqueue() > 0) {
            return Assessment.unsupported(fd.label(), kind(), what + " is building a corked datagram (UDP_CORK or"
                    + " MSG_MORE): not supported (as CRIU)");
        }
        if (s.rqueue() > 0) {
            return Assessment.supported(fd.label(), kind(), what + "; the datagrams waiting to be read ("
                    + dev.jcr.resource.FdDescriber.size(s.rqueue()) + " of buffer) are dropped");
        }
        return Assessment.supported(fd.label(), kind(), what);
    }

    /** "UDP socket bound to 0.0.0.0:5353", "UDP socket 127.0.0.1:4000 connected to 127.0.0.1:53". */
    static String describe(InetSock s) {
        return "UDP socket " + (s.connected() ? s.local() + " connected to " + s.remote() : "bound to " + s.local());
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Socket d = (FdDetail.Socket) fd.detail();
        InetSock s = InetSockets.find(d.diag(), InetSock.IPPROTO_UDP, d.socket().inode());
        if (s == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "UDP socket no longer in the kernel's socket table");
        }
        int local = ctx.localFd(fd.fd());
        ctx.addFd(fd, FdTypes.INETSK, id -> InetEntries.file(InetEntries.entry(id, fd, s, local, InetEntries.SOCK_DGRAM, 0)
                .build()));
    }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasIsk()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is an INETSK without its isk entry");
        }
        InetSkEntry e = file.getIsk();
        InetEntries.ends(e, use, images);
        if (e.getType() != InetEntries.SOCK_DGRAM) {
            throw images.bad(ImageKind.FILES, null, "UDP socket " + e.getId() + " (" + use + ") has type " + e.getType()
                    + ": SOCK_DGRAM (2) expected");
        }
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        InetSkEntry e = file.getIsk();
        String what = InetEntries.what(e, "UDP");
        int fd = ctx.keep(InetEntries.socket(e));
        if (e.getSrcPort() != 0) {
            InetEntries.bind(fd, e, what);
        }
        if (e.getDstPort() != 0) {
            try {
                Sockets.connect(fd, InetEntries.remote(e).sockaddr(0));
            } catch (SyscallException ex) {
                throw new RestoreException(Kind.CONFLICT, what + ": cannot connect to " + InetEntries.remote(e) + ": "
                        + ex.getMessage(), ex);
            }
        }
        InetEntries.options(fd, e);
        if (e.hasShutdown()) {
            SocketOptions.shutdown(fd, e.getShutdown());
        }
        InetRestore.of(ctx).bound(fd, e.getOpts().getReuseaddr(), false);
        return fd;
    }
}
