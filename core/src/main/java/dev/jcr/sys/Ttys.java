package dev.jcr.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Terminal ioctls on jcr's fds of pseudo-terminals: a frozen process's ptys duplicated for a dump, the
 * ptys a restore makes. Termios is the kernel's struct termios (TCGETS: four flag words, the line
 * discipline and NCCS = 19 control characters; speeds live in c_cflag).
 */
public final class Ttys {

    public static final int NCCS = 19;
    /** sizeof(struct termios) of the kernel (not glibc's). */
    public static final int TERMIOS_SIZE = 36;

    static final long TCGETS = 0x5401;
    static final long TCSETS = 0x5402;
    static final long TIOCEXCL = 0x540C;
    static final long TIOCNXCL = 0x540D;
    public static final long TIOCSCTTY = 0x540E;
    static final long TIOCGPGRP = 0x540F;
    public static final long TIOCSPGRP = 0x5410;
    static final long TIOCGWINSZ = 0x5413;
    static final long TIOCSWINSZ = 0x5414;
    static final long FIONREAD = 0x541B;
    static final long TIOCPKT = 0x5420;
    static final long TIOCGSID = 0x5429;
    static final long TIOCGPTN = 0x80045430L;
    static final long TIOCSPTLCK = 0x40045431L;
    static final long TIOCGPKT = 0x80045438L;
    static final long TIOCGPTLCK = 0x80045439L;
    static final long TIOCGEXCL = 0x80045440L;
    static final long TIOCGPTPEER = 0x5441;
    static final long TIOCGLCKTRMIOS = 0x5456;
    static final long TIOCSLCKTRMIOS = 0x5457;

    public static final int OPOST = 0x1;
    /** c_iflag bits of flow control: IXON, IXANY, IXOFF. */
    public static final int FLOW_CONTROL = 0x400 | 0x800 | 0x1000;
    /** c_lflag bits that echo input or turn it into signals: ISIG, ECHO, ECHOE, ECHOK, ECHONL, ECHOCTL, ECHOKE, IEXTEN. */
    public static final int NO_ECHO_OR_SIGNALS = 0x1 | 0x8 | 0x10 | 0x20 | 0x40 | 0x200 | 0x800 | 0x8000;

    private Ttys() {
    }

    /** A struct termios as the kernel keeps it. */
    public record Termios(int iflag, int oflag, int cflag, int lflag, int line, int[] cc) {

        static Termios of(byte[] b) {
            ByteBuffer t = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int i = t.getInt(), o = t.getInt(), c = t.getInt(), l = t.getInt();
            int line = t.get() & 0xff;
            int[] cc = new int[NCCS];
            for (int k = 0; k < NCCS; k++) {
                cc[k] = t.get() & 0xff;
            }
            return new Termios(i, o, c, l, line, cc);
        }

        byte[] bytes() {
            ByteBuffer t = ByteBuffer.allocate(TERMIOS_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(iflag).putInt(oflag).putInt(cflag).putInt(lflag).put((byte) line);
            for (int k = 0; k < NCCS; k++) {
                t.put((byte) (k < cc.length ? cc[k] : 0));
            }
            return t.array();
        }

        public Termios withFlags(int i, int o, int l) {
            return new Termios(i, o, cflag, l, line, cc);
        }
    }

    /** A window size: rows, columns, pixels. */
    public record Winsize(int rows, int cols, int xpixel, int ypixel) {
    }

    public static Termios termios(int fd) {
        byte[] b = new byte[TERMIOS_SIZE];
        Sockets.ioctlBuffer(fd, TCGETS, b, true, "TCGETS");
        return Termios.of(b);
    }

    public static void setTermios(int fd, Termios t) {
        Sockets.ioctlBuffer(fd, TCSETS, t.bytes(), false, "TCSETS");
    }

    public static Termios lockedTermios(int fd) {
        byte[] b = new byte[TERMIOS_SIZE];
        Sockets.ioctlBuffer(fd, TIOCGLCKTRMIOS, b, true, "TIOCGLCKTRMIOS");
        return Termios.of(b);
    }

    public static void setLockedTermios(int fd, Termios t) {
        Sockets.ioctlBuffer(fd, TIOCSLCKTRMIOS, t.bytes(), false, "TIOCSLCKTRMIOS");
    }

    public static Winsize winsize(int fd) {
        byte[] b = new byte[8];
        Sockets.ioctlBuffer(fd, TIOCGWINSZ, b, true, "TIOCGWINSZ");
        ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return new Winsize(w.getShort() & 0xffff, w.getShort() & 0xffff, w.getShort() & 0xffff, w.getShort() & 0xffff);
    }

    public static void setWinsize(int fd, Winsize s) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) s.rows())
                .putShort((short) s.cols()).putShort((short) s.xpixel()).putShort((short) s.ypixel()).array();
        Sockets.ioctlBuffer(fd, TIOCSWINSZ, b, false, "TIOCSWINSZ");
    }

    /** The pty number N (/dev/pts/N) of master FD. */
    public static int ptyIndex(int master) {
        return Sockets.ioctlGetInt(master, TIOCGPTN, "TIOCGPTN");
    }

    public static boolean locked(int master) {
        return Sockets.ioctlGetInt(master, TIOCGPTLCK, "TIOCGPTLCK") != 0;
    }

    public static void setLocked(int master, boolean lock) {
        Sockets.ioctlSetInt(master, TIOCSPTLCK, lock ? 1 : 0, "TIOCSPTLCK");
    }

    public static boolean packetMode(int master) {
        return Sockets.ioctlGetInt(master, TIOCGPKT, "TIOCGPKT") != 0;
    }

    public static void setPacketMode(int master, boolean on) {
        Sockets.ioctlSetInt(master, TIOCPKT, on ? 1 : 0, "TIOCPKT");
    }

    public static boolean exclusive(int fd) {
        return Sockets.ioctlGetInt(fd, TIOCGEXCL, "TIOCGEXCL") != 0;
    }

    public static void setExclusive(int fd, boolean on) {
        Sockets.ioctl(fd, on ? TIOCEXCL : TIOCNXCL, 0, on ? "TIOCEXCL" : "TIOCNXCL");
    }

    /** The session of the pty whose master is FD, or 0 when it is no session's controlling terminal. */
    public static int session(int master) {
        return orZero(master, TIOCGSID, "TIOCGSID");
    }

    /** The foreground process group of the pty whose master is FD, 0 when none. */
    public static int foregroundGroup(int master) {
        return orZero(master, TIOCGPGRP, "TIOCGPGRP");
    }

    /** An int ioctl answered with ENOTTY when the terminal has no session: 0 then. */
    private static int orZero(int fd, long request, String what) {
        try {
            return Sockets.ioctlGetInt(fd, request, what);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOTTY) {
                return 0;
            }
            throw e;
        }
    }

    /** Bytes waiting to be read on FD (FIONREAD): a master's is its slave's output, a slave's its input. */
    public static int queued(int fd) {
        return Sockets.ioctlGetInt(fd, FIONREAD, "FIONREAD");
    }

    /** A new open file of the slave of master FD (TIOCGPTPEER) with FLAGS, close-on-exec. */
    public static int openPeer(int master, int flags) {
        return (int) Sockets.ioctl(master, TIOCGPTPEER, flags | Linux.O_CLOEXEC, "TIOCGPTPEER");
    }
}
