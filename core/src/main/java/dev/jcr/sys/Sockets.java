package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Socket calls on jcr's own descriptors: sockets a restore recreates, and duplicates of a frozen
 * process's sockets (pidfd_getfd) whose state a dump reads. Socket state lives in the socket, not in
 * the descriptor, so options, queues and names read through a duplicate are the process's own.
 * Every failure is a {@link SyscallException} naming the call.
 *
 * <p>Addresses are whole {@code struct sockaddr} byte arrays (family first, little-endian);
 * {@link #unixAddress} builds an AF_UNIX one from the bytes of {@code sun_path}.
 */
public final class Sockets {

    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_DONTROUTE = 5;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_OOBINLINE = 10;
    public static final int SO_NO_CHECK = 11;
    public static final int SO_PRIORITY = 12;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_PASSCRED = 16;
    public static final int SO_PEERCRED = 17;
    public static final int SO_RCVLOWAT = 18;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDTIMEO = 21;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_GET_FILTER = 26;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_PASSSEC = 34;
    public static final int SO_MARK = 36;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_PEEK_OFF = 42;
    public static final int SO_BUF_LOCK = 72;

    public static final int MSG_OOB = 1;
    public static final int MSG_PEEK = 2;
    public static final int MSG_CTRUNC = 8;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_EOR = 0x80;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    public static final int SCM_RIGHTS = 1;
    public static final int SCM_CREDENTIALS = 2;
    public static final int SCM_SECURITY = 3;
    public static final int SCM_PIDFD = 4;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** Largest {@code sun_path}, in bytes. */
    public static final int UNIX_PATH_MAX = 108;

    private static final int SYS_IOCTL = 16;
    private static final int MSGHDR = 56;
    private static final int IOVEC = 16;
    private static final int CMSGHDR = 16;
    /** Room for every control message one datagram can carry (253 fds, credentials, a pidfd). */
    private static final int CONTROL_ROOM = 4096;

    private Sockets() {
    }

    /** A control message (cmsg) of a received or sent message. */
    public record ControlMessage(int level, int type, byte[] data) {

        /** SCM_RIGHTS: the descriptors it carries (installed in jcr by the receive: the caller closes them). */
        public int[] fds() {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int[] fds = new int[data.length / 4];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = b.getInt();
            }
            return fds;
        }

        public boolean rights() {
            return level == SOL_SOCKET && type == SCM_RIGHTS;
        }

        public boolean credentials() {
            return level == SOL_SOCKET && type == SCM_CREDENTIALS && data.length >= 12;
        }

        /** SCM_CREDENTIALS as {pid, uid, gid}. */
        public int[] ucred() {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            return new int[] {b.getInt(), b.getInt(), b.getInt()};
        }

        /** SCM_CREDENTIALS naming PID, UID and GID, as a sender puts it on a message. */
        public static ControlMessage credentials(int pid, int uid, int gid) {
            return new ControlMessage(SOL_SOCKET, SCM_CREDENTIALS, ByteBuffer.allocate(12)
                    .order(ByteOrder.LITTLE_ENDIAN).putInt(pid).putInt(uid).putInt(gid).array());
        }
    }

    /**
     * One received (or peeked) message: DATA as copied, LENGTH the message's real length (larger than
     * the data when it was cut: MSG_TRUNC), FLAGS the msg_flags the kernel set, CONTROL its cmsgs.
     */
    public record Received(byte[] data, int length, int flags, List<ControlMessage> control) {

        public boolean truncated() {
            return (flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
        }

        /** Closes every descriptor an SCM_RIGHTS of this message installed in jcr. */
        public void closeFds() {
            for (ControlMessage c : control) {
                if (c.rights()) {
                    for (int fd : c.fds()) {
                        closeQuietly(fd);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- creating and naming

    /** socket(2), close-on-exec in jcr. */
    public static int socket(int family, int type, int protocol) {
        try {
            return SocketLib.socket(family, type | SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new SyscallException("socket(" + family + ", " + type + ", " + protocol + ")", 0, e.getErrorCode());
        }
    }

    /** socketpair(2) of TYPE in FAMILY, close-on-exec in jcr: the two connected ends. */
    public static int[] socketpair(int family, int type) {
        int[] sv = new int[2];
        try {
            SocketLib.socketpair(family, type | SOCK_CLOEXEC, 0, sv);
        } catch (LastErrorException e) {
            throw new SyscallException("socketpair(" + family + ", " + type + ")", 0, e.getErrorCode());
        }
        return sv;
    }

    public static void bind(int fd, byte[] address) {
        try {
            SocketLib.bind(fd, address, address.length);
        } catch (LastErrorException e) {
            throw new SyscallException("bind(" + describe(address) + ")", 0, e.getErrorCode());
        }
    }

    public static void connect(int fd, byte[] address) {
        try {
            SocketLib.connect(fd, address, address.length);
        } catch (LastErrorException e) {
            throw new SyscallException("connect(" + describe(address) + ")", 0, e.getErrorCode());
        }
    }

    public static void listen(int fd, int backlog) {
        try {
            SocketLib.listen(fd, backlog);
        } catch (LastErrorException e) {
            throw new SyscallException("listen(" + backlog + ")", 0, e.getErrorCode());
        }
    }

    /** shutdown(2) with HOW = SHUT_RD, SHUT_WR or SHUT_RDWR. */
    public static void shutdown(int fd, int how) {
        try {
            SocketLib.shutdown(fd, how);
        } catch (LastErrorException e) {
            throw new SyscallException("shutdown(" + how + ")", 0, e.getErrorCode());
        }
    }

    /** getsockname(2): the whole sockaddr (just the family when unbound). */
    public static byte[] localAddress(int fd) {
        byte[] a = new byte[128];
        int[] len = {a.length};
        try {
            SocketLib.getsockname(fd, a, len);
        } catch (LastErrorException e) {
            throw new SyscallException("getsockname", 0, e.getErrorCode());
        }
        return Arrays.copyOf(a, Math.min(len[0], a.length));
    }

    /** getpeername(2): the peer's sockaddr, or null when not connected (ENOTCONN). */
    public static byte[] peerAddress(int fd) {
        byte[] a = new byte[128];
        int[] len = {a.length};
        try {
            SocketLib.getpeername(fd, a, len);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == 107 /* ENOTCONN */) {
                return null;
            }
            throw new SyscallException("getpeername", 0, e.getErrorCode());
        }
        return Arrays.copyOf(a, Math.min(len[0], a.length));
    }

    /** An AF_UNIX sockaddr for SUN_PATH (a path, with or without its NUL, or an abstract name starting with NUL). */
    public static byte[] unixAddress(byte[] sunPath) {
        if (sunPath.length > UNIX_PATH_MAX) {
            throw new IllegalArgumentException("unix socket name of " + sunPath.length + " bytes: at most "
                    + UNIX_PATH_MAX);
        }
        byte[] a = new byte[2 + sunPath.length];
        a[0] = AF_UNIX;
        System.arraycopy(sunPath, 0, a, 2, sunPath.length);
        return a;
    }

    /** The family-less AF_UNSPEC address: connect() to it dissolves a datagram socket's association. */
    public static byte[] unspecAddress() {
        return new byte[] {AF_UNSPEC, 0};
    }

    // ---------------------------------------------------------------- options

    /** An int-valued option. */
    public static int getInt(int fd, int level, int name) {
        return ByteBuffer.wrap(Arrays.copyOf(get(fd, level, name, 4), 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public static void setInt(int fd, int level, int name, int value) {
        set(fd, level, name, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    /** An option's value, at most MAX bytes (what the kernel returned: possibly fewer). */
    public static byte[] get(int fd, int level, int name, int max) {
        byte[] v = new byte[max];
        int[] len = {max};
        try {
            SocketLib.getsockopt(fd, level, name, v, len);
        } catch (LastErrorException e) {
            throw new SyscallException("getsockopt(" + level + ", " + name + ")", 0, e.getErrorCode());
        }
        return Arrays.copyOf(v, Math.min(len[0], max));
    }

    /** The length an option reports for a null buffer (SO_GET_FILTER answers its instruction count so). */
    public static int optionLength(int fd, int level, int name) {
        int[] len = {0};
        try {
            SocketLib.getsockopt(fd, level, name, null, len);
        } catch (LastErrorException e) {
            throw new SyscallException("getsockopt(" + level + ", " + name + ", length)", 0, e.getErrorCode());
        }
        return len[0];
    }

    public static void set(int fd, int level, int name, byte[] value) {
        try {
            SocketLib.setsockopt(fd, level, name, value, value.length);
        } catch (LastErrorException e) {
            throw new SyscallException("setsockopt(" + level + ", " + name + ")", 0, e.getErrorCode());
        }
    }

    /**
     * SO_ATTACH_FILTER of a classic BPF program: INSNS in CRIU's encoding (code &lt;&lt; 48 | jt &lt;&lt; 40 |
     * jf &lt;&lt; 32 | k), laid out as struct sock_filter for the kernel.
     */
    public static void attachFilter(int fd, long[] insns) {
        Memory prog = new Memory(Math.max(insns.length, 1) * 8L);
        for (int i = 0; i < insns.length; i++) {
            prog.setShort(i * 8L, (short) (insns[i] >>> 48));
            prog.setByte(i * 8L + 2, (byte) (insns[i] >>> 40));
            prog.setByte(i * 8L + 3, (byte) (insns[i] >>> 32));
            prog.setInt(i * 8L + 4, (int) insns[i]);
        }
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        byte[] fprog = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) insns.length)
                .putShort((short) 0).putInt(0).putLong(Pointer.nativeValue(prog)).array();
        try {
            set(fd, SOL_SOCKET, 26 /* SO_ATTACH_FILTER */, fprog);
        } finally {
            Reference.reachabilityFence(prog);
        }
    }

    // ---------------------------------------------------------------- messages

    /**
     * recvmsg(2) of one message of at most MAX_DATA bytes with FLAGS (e.g. MSG_PEEK | MSG_DONTWAIT |
     * MSG_TRUNC); null when nothing is queued (EAGAIN). Descriptors of SCM_RIGHTS are installed in jcr
     * close-on-exec; the caller closes them ({@link Received#closeFds}).
     */
    public static Received receive(int fd, int maxData, int flags) {
        int dataOff = MSGHDR + IOVEC + CONTROL_ROOM;
        Memory m = new Memory(dataOff + Math.max(maxData, 1));
        m.clear(MSGHDR + IOVEC + CONTROL_ROOM);
        long base = Pointer.nativeValue(m);
        m.setLong(MSGHDR, base + dataOff);
        m.setLong(MSGHDR + 8, maxData);
        m.setLong(16, base + MSGHDR);
        m.setLong(24, 1);
        m.setLong(32, base + MSGHDR + IOVEC);
        m.setLong(40, CONTROL_ROOM);
        long n;
        try {
            n = SocketLib.recvmsg(fd, m, flags | MSG_CMSG_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) {
                return null;
            }
            throw new SyscallException("recvmsg", 0, e.getErrorCode());
        } finally {
            Reference.reachabilityFence(m);
        }
        int got = (int) Math.min(n, maxData);
        byte[] data = m.getByteArray(dataOff, got);
        int msgFlags = m.getInt(48);
        long controlLen = m.getLong(40);
        List<ControlMessage> control = new ArrayList<>();
        long off = 0;
        while (off + CMSGHDR <= controlLen) {
            long len = m.getLong(MSGHDR + IOVEC + off);
            if (len < CMSGHDR || off + len > controlLen) {
                break;
            }
            int level = m.getInt(MSGHDR + IOVEC + off + 8);
            int type = m.getInt(MSGHDR + IOVEC + off + 12);
            control.add(new ControlMessage(level, type, m.getByteArray(MSGHDR + IOVEC + off + CMSGHDR,
                    (int) (len - CMSGHDR))));
            off += align(len);
        }
        return new Received(data, (int) n, msgFlags, List.copyOf(control));
    }

    /**
     * sendmsg(2) of DATA with CONTROL messages (may be empty) to TO (null: the connected peer), with
     * FLAGS; returns the bytes sent (a stream socket may take fewer).
     */
    public static long send(int fd, byte[] data, List<ControlMessage> control, byte[] to, int flags) {
        long controlLen = 0;
        for (ControlMessage c : control) {
            controlLen += align(CMSGHDR + c.data().length);
        }
        int nameOff = MSGHDR + IOVEC;
        int controlOff = nameOff + 128;
        int dataOff = (int) (controlOff + controlLen);
        Memory m = new Memory(dataOff + Math.max(data.length, 1));
        m.clear(dataOff);
        long base = Pointer.nativeValue(m);
        if (to != null) {
            m.write(nameOff, to, 0, to.length);
            m.setLong(0, base + nameOff);
            m.setInt(8, to.length);
        }
        m.write(dataOff, data, 0, data.length);
        m.setLong(MSGHDR, base + dataOff);
        m.setLong(MSGHDR + 8, data.length);
        m.setLong(16, base + MSGHDR);
        m.setLong(24, 1);
        long off = controlOff;
        for (ControlMessage c : control) {
            m.setLong(off, CMSGHDR + c.data().length);
            m.setInt(off + 8, c.level());
            m.setInt(off + 12, c.type());
            m.write(off + CMSGHDR, c.data(), 0, c.data().length);
            off += align(CMSGHDR + c.data().length);
        }
        if (controlLen > 0) {
            m.setLong(32, base + controlOff);
            m.setLong(40, controlLen);
        }
        try {
            return SocketLib.sendmsg(fd, m, flags | MSG_NOSIGNAL);
        } catch (LastErrorException e) {
            throw new SyscallException("sendmsg(" + data.length + " bytes)", 0, e.getErrorCode());
        } finally {
            Reference.reachabilityFence(m);
        }
    }

    /** sendto(2) of DATA to address TO (null: the connected peer); returns the bytes sent. */
    public static long sendTo(int fd, byte[] data, byte[] to, int flags) {
        try {
            return SocketLib.sendto(fd, data, data.length, flags | MSG_NOSIGNAL, to, to == null ? 0 : to.length);
        } catch (LastErrorException e) {
            throw new SyscallException("sendto(" + (to == null ? "peer" : describe(to)) + ")", 0, e.getErrorCode());
        }
    }

    /** recv(2) into a buffer of MAX bytes; null when nothing is there (EAGAIN). */
    public static byte[] recv(int fd, int max, int flags) {
        byte[] b = new byte[max];
        long n;
        try {
            n = SocketLib.recv(fd, b, max, flags);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) {
                return null;
            }
            throw new SyscallException("recv", 0, e.getErrorCode());
        }
        return Arrays.copyOf(b, (int) n);
    }

    /** read(2) of at most MAX bytes; null when nothing is there (EAGAIN, or EIO of a hung-up terminal). */
    public static byte[] read(int fd, int max) {
        byte[] b = new byte[max];
        long n;
        try {
            n = SocketLib.read(fd, b, max);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EIO) {
                return null;
            }
            throw new SyscallException("read(fd " + fd + ")", 0, e.getErrorCode());
        }
        return Arrays.copyOf(b, (int) n);
    }

    // ---------------------------------------------------------------- ioctl

    /** ioctl(2) with an int result written through a pointer (TIOCGPTN, FIONREAD …). */
    public static int ioctlGetInt(int fd, long request, String what) {
        Memory m = new Memory(8);
        m.setLong(0, 0);
        ioctl(fd, request, Pointer.nativeValue(m), what);
        Reference.reachabilityFence(m);
        return m.getInt(0);
    }

    /** ioctl(2) with an int argument passed through a pointer (TIOCSPTLCK, TIOCPKT, TIOCSPGRP …). */
    public static void ioctlSetInt(int fd, long request, int value, String what) {
        Memory m = new Memory(8);
        m.setInt(0, value);
        ioctl(fd, request, Pointer.nativeValue(m), what);
        Reference.reachabilityFence(m);
    }

    /** ioctl(2) reading or writing the structure BUF (its length is the request's structure size). */
    public static void ioctlBuffer(int fd, long request, byte[] buf, boolean out, String what) {
        Memory m = new Memory(Math.max(buf.length, 1));
        m.write(0, buf, 0, buf.length);
        ioctl(fd, request, Pointer.nativeValue(m), what);
        Reference.reachabilityFence(m);
        if (out) {
            m.read(0, buf, 0, buf.length);
        }
    }

    /** ioctl(2) with a plain integer argument (TIOCSCTTY, TIOCGPTPEER's flags …); returns the result. */
    public static long ioctl(int fd, long request, long arg, String what) {
        return Linux.syscall("ioctl(" + what + ")", 0, SYS_IOCTL, fd, request, arg, 0, 0, 0);
    }

    // ---------------------------------------------------------------- helpers

    private static long align(long len) {
        return (len + 7) & ~7L;
    }

    private static void closeQuietly(int fd) {
        try {
            Linux.close(fd);
        } catch (SyscallException ignored) {
            // already closed
        }
    }

    /** "unix:/run/x.sock", "unix:@name", "family 2" — for messages. */
    static String describe(byte[] address) {
        if (address.length >= 2 && address[0] == AF_UNIX) {
            byte[] path = Arrays.copyOfRange(address, 2, address.length);
            return "unix:" + unixName(path);
        }
        return "family " + (address.length > 0 ? address[0] & 0xff : -1);
    }

    /** A unix socket name for people: the path, "@name" for an abstract one, "unnamed" for none. */
    public static String unixName(byte[] sunPath) {
        if (sunPath.length == 0) {
            return "unnamed";
        }
        if (sunPath[0] == 0) {
            StringBuilder s = new StringBuilder("@");
            for (int i = 1; i < sunPath.length; i++) {
                s.append(sunPath[i] == 0 ? '@' : (char) (sunPath[i] & 0xff));
            }
            return s.toString();
        }
        int end = 0;
        while (end < sunPath.length && sunPath[end] != 0) {
            end++;
        }
        return new String(sunPath, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
