package dev.jcr.resource.inet;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.IpOptsEntry;
import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.proc.InetEndpoint;
import dev.jcr.proc.InetSock;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.socket.SocketOptions;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CRIU's inet_sk_entry (files.img type INETSK) of a TCP or UDP socket: written from the kernel's socket
 * table and the socket's options at dump; at restore, the socket made again, named (bind) and given its
 * options. What is particular to a protocol (listen, connect, a TCP connection's inner state) is its
 * driver's.
 */
final class InetEntries {

    static final int SOCK_STREAM = Sockets.SOCK_STREAM;
    static final int SOCK_DGRAM = Sockets.SOCK_DGRAM;

    private InetEntries() {
    }

    /**
     * The entry of socket S (held as FD, read through LOCAL, jcr's duplicate) with files.img id ID: addresses,
     * state, file flags, backlog, SOL_SOCKET options plus the family's, IPV6_V6ONLY, IP_FREEBIND.
     */
    static InetSkEntry.Builder entry(int id, OpenFd fd, InetSock s, int local, int type, int backlog) {
        boolean tcp = s.tcp();
        SkOptsEntry.Builder opts = SocketOptions.read(local);
        InetOptions.read(local, opts, tcp);
        InetSkEntry.Builder e = InetSkEntry.newBuilder().setId(id).setIno((int) s.inode())
                .setFamily(s.local().family()).setType(type).setProto(s.protocol()).setState(s.state())
                .setSrcPort(s.local().port()).setDstPort(s.remote().port()).setFlags(FileEntries.fileFlags(fd))
                .setBacklog(backlog).setFown(FileEntries.noOwner()).setOpts(opts);
        for (int w : s.local().words()) {
            e.addSrcAddr(w);
        }
        for (int w : s.remote().words()) {
            e.addDstAddr(w);
        }
        if (s.local().v6()) {
            e.setV6Only(InetOptions.v6only(local));
            if (linkLocal(s.local()) && opts.hasSoBoundDev()) {
                e.setIfname(opts.getSoBoundDev());
            }
        }
        IpOptsEntry ip = InetOptions.ipOpts(local);
        if (ip != null) {
            e.setIpOpts(ip);
        }
        if (s.shutdown() != 0) {
            e.setShutdown(SocketOptions.shutdown(s.shutdown()));
        }
        return e;
    }

    static FileEntry file(InetSkEntry e) {
        return FileEntry.newBuilder().setType(FdTypes.INETSK).setId(e.getId()).setIsk(e).build();
    }

    /** fe80::/10: a link-local address is only meaningful with its interface. */
    static boolean linkLocal(InetEndpoint e) {
        byte[] a = e.address();
        return e.v6() && (a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80;
    }

    // ------------------------------------------------------------------ restore

    /** Both ends of E as endpoints, or a bad image naming what is wrong (plan time). */
    static InetEndpoint[] ends(InetSkEntry e, FdUse use, FileImages images) {
        if (e.getFamily() != InetEndpoint.AF_INET && e.getFamily() != InetEndpoint.AF_INET6) {
            throw images.bad(ImageKind.FILES, null, "inet socket " + e.getId() + " (" + use + ") has family "
                    + e.getFamily() + ": only AF_INET (2) and AF_INET6 (10)");
        }
        InetEndpoint src = InetEndpoint.fromWords(e.getFamily(), e.getSrcAddrList(), e.getSrcPort());
        InetEndpoint dst = InetEndpoint.fromWords(e.getFamily(), e.getDstAddrList(), e.getDstPort());
        if (src == null || dst == null) {
            throw images.bad(ImageKind.FILES, null, "inet socket " + e.getId() + " (" + use + ") has "
                    + e.getSrcAddrCount() + "/" + e.getDstAddrCount() + " address words (src_addr/dst_addr) for family "
                    + e.getFamily() + ": " + (e.getFamily() == InetEndpoint.AF_INET ? 1 : 4) + " expected");
        }
        if (src.port() > 0xffff || dst.port() > 0xffff) {
            throw images.bad(ImageKind.FILES, null, "inet socket " + e.getId() + " (" + use + ") has port "
                    + Math.max(src.port(), dst.port()) + " (src_port/dst_port): at most 65535");
        }
        return new InetEndpoint[] {src, dst};
    }

    static InetEndpoint local(InetSkEntry e) {
        return InetEndpoint.fromWords(e.getFamily(), e.getSrcAddrList(), e.getSrcPort());
    }

    static InetEndpoint remote(InetSkEntry e) {
        return InetEndpoint.fromWords(e.getFamily(), e.getDstAddrList(), e.getDstPort());
    }

    /**
     * A new socket for E in jcr (non-blocking when the dumped file was), IPV6_V6ONLY as dumped, and
     * SO_REUSEADDR on (plus SO_REUSEPORT when dumped): the sockets of one port are bound one after the other,
     * an accepted connection before or after its listener, so each may bind whatever the others did; the
     * dumped SO_REUSEADDR is put back before the tree resumes ({@link InetRestore}).
     */
    static int socket(InetSkEntry e) {
        int nonblock = (e.getFlags() & OpenFd.O_NONBLOCK) != 0 ? Sockets.SOCK_NONBLOCK : 0;
        int fd = Sockets.socket(e.getFamily(), e.getType() | nonblock, e.getProto());
        try {
            if (e.getFamily() == InetEndpoint.AF_INET6 && e.getV6Only()) {
                Sockets.setInt(fd, InetOptions.SOL_IPV6, InetOptions.IPV6_V6ONLY, 1);
            }
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, 1);
            if (e.getOpts().getSoReuseport()) {
                Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT, 1);
            }
        } catch (RuntimeException ex) {
            dev.jcr.sys.Linux.close(fd);
            throw ex;
        }
        return fd;
    }

    /**
     * bind() to E's local end. An IPv6 address may still be "tentative" (duplicate address detection) right
     * after an interface comes up: IP_FREEBIND lets the bind through then (as CRIU does), and is put back off
     * unless it was dumped on. WHAT names the socket in errors.
     */
    static void bind(int fd, InetSkEntry e, String what) {
        InetEndpoint local = local(e);
        int scope = 0;
        if (e.hasIfname()) {
            scope = ifindex(e.getIfname(), what);
        }
        boolean freebind = e.hasIpOpts() && e.getIpOpts().getFreebind();
        boolean v6 = local.v6();
        if (v6 || freebind) {
            Sockets.setInt(fd, InetOptions.SOL_IP, InetOptions.IP_FREEBIND, 1);
        }
        try {
            Sockets.bind(fd, local.sockaddr(scope));
        } catch (SyscallException ex) {
            throw new RestoreException(ex.errno() == Errno.EADDRINUSE ? Kind.CONFLICT : ex.kind(), what
                    + ": cannot bind " + local + (ex.errno() == Errno.EADDRINUSE ? ": the address is in use (is the"
                    + " dumped server, or another, still running?)" : ": " + ex.getMessage()), ex);
        }
        if (v6 && !freebind) {
            Sockets.setInt(fd, InetOptions.SOL_IP, InetOptions.IP_FREEBIND, 0);
        }
    }

    /** The index of network interface NAME (for a link-local IPv6 address's scope). */
    private static int ifindex(String name, String what) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "ifindex")).strip());
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException ex) {
            throw new RestoreException(Kind.CONFLICT, what + ": network interface " + name
                    + " (of its link-local address) does not exist here");
        }
    }

    /** The options of E applied to FD (SOL_SOCKET, then the family's). */
    static void options(int fd, InetSkEntry e) {
        SocketOptions.apply(fd, e.getOpts());
        InetOptions.apply(fd, e.getOpts(), e.getProto() == InetSock.IPPROTO_TCP);
    }

    /** "TCP socket 5 (pid 42 fd 3)" for restore messages. */
    static String what(InetSkEntry e, String kind) {
        return kind + " socket " + e.getId() + " (" + local(e) + ")";
    }
}
