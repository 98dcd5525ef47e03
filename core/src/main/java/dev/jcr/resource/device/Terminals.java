package dev.jcr.resource.device;

import dev.jcr.JcrException.Kind;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The terminal side of --shell-job. A dump with --shell-job records a terminal fd as a REG entry
 * naming the terminal (/dev/pts/N, /dev/ttyN, /dev/console); a restore does not reopen that path
 * (the old terminal may be gone, or be someone else's now) but gives the fd jcr's own terminal, as
 * CRIU does: the one on jcr's stdin, else stdout, else stderr, opened anew with the dumped flags.
 */
public final class Terminals {

    private static final Pattern TERMINAL = Pattern.compile("/dev/(pts/\\d+|tty[A-Za-z]*\\d*|console)");

    private Terminals() {
    }

    /** True when a files.img path names a terminal. */
    public static boolean isTerminal(String path) {
        return TERMINAL.matcher(path).matches();
    }

    private static final long TCGETS2 = 0x802C542AL;
    private static final long TCSETS2 = 0x402C542BL;
    private static final long TIOCGWINSZ = 0x5413;
    /** struct termios2: four flag words, c_line, c_cc[19], c_ispeed, c_ospeed. */
    private static final int TERMIOS2 = 44;
    private static final int NCCS = 19;
    private static final int O_NOCTTY = 0400;

    /**
     * The line settings (termios) and window size of the terminal that LINK (a /proc/PID/fd link)
     * leads to, as CRIU's tty_info entry; read by jcr through a descriptor of its own, without making
     * it jcr's controlling terminal; its id is the terminal's device number. Empty when it cannot be read.
     */
    public static java.util.Optional<dev.jcr.image.proto.TtyInfoEntry> state(Path link, String name, int sid, int pgrp) {
        int fd;
        try {
            fd = Linux.open(link.toString(), Linux.O_RDONLY | Linux.O_NONBLOCK | O_NOCTTY, 0);
        } catch (dev.jcr.sys.SyscallException e) {
            return java.util.Optional.empty();
        }
        try {
            java.nio.ByteBuffer t = le(Linux.ioctl(fd, TCGETS2, new byte[TERMIOS2]));
            java.nio.ByteBuffer w = le(Linux.ioctl(fd, TIOCGWINSZ, new byte[8]));
            dev.jcr.image.proto.TermiosEntry.Builder te = dev.jcr.image.proto.TermiosEntry.newBuilder()
                    .setCIflag(t.getInt(0)).setCOflag(t.getInt(4)).setCCflag(t.getInt(8)).setCLflag(t.getInt(12))
                    .setCLine(t.get(16) & 0xff).setCIspeed(t.getInt(36)).setCOspeed(t.getInt(40));
            for (int i = 0; i < NCCS; i++) {
                te.addCCc(t.get(17 + i) & 0xff);
            }
            long rdev = ((Number) Files.getAttribute(link, "unix:rdev")).longValue();
            return java.util.Optional.of(dev.jcr.image.proto.TtyInfoEntry.newBuilder().setId((int) rdev)
                    .setType(name.startsWith("/dev/pts/") ? dev.jcr.image.proto.TtyType.PTY
                            : name.equals("/dev/console") ? dev.jcr.image.proto.TtyType.CONSOLE
                            : name.matches("/dev/tty\\d+") ? dev.jcr.image.proto.TtyType.VT : dev.jcr.image.proto.TtyType.UNKNOWN)
                    .setLocked(false).setExclusive(false).setPacketMode(false).setSid(sid).setPgrp(pgrp)
                    .setRdev((int) rdev).setTermios(te)
                    .setWinsize(dev.jcr.image.proto.WinsizeEntry.newBuilder().setWsRow(w.getShort(0) & 0xffff)
                            .setWsCol(w.getShort(2) & 0xffff).setWsXpixel(w.getShort(4) & 0xffff)
                            .setWsYpixel(w.getShort(6) & 0xffff)).build());
        } catch (dev.jcr.sys.SyscallException | IOException | UnsupportedOperationException e) {
            return java.util.Optional.empty();
        } finally {
            Linux.close(fd);
        }
    }

    /** What jcr's terminal had before {@link #applyToOwn}: its termios2 bytes. */
    public record Saved(int fd, byte[] termios) {
    }

    /**
     * Gives jcr's own terminal (where --shell-job puts the restored tree) INFO's line settings, the
     * dumped program's (a raw-mode editor gets raw mode back, not the shell's echoing canonical mode);
     * returns what it had, to put back when the program is done. The window size is left as it is:
     * it is the size of the window this terminal is shown in now, which the program learns from the
     * SIGWINCH the restore sends; the dumped size was the old window's (a program told it would draw
     * outside a smaller window).
     */
    public static Saved applyToOwn(dev.jcr.image.proto.TtyInfoEntry info) {
        int fd = openOwn(Linux.O_RDWR | Linux.O_NONBLOCK | O_NOCTTY);
        byte[] old = Linux.ioctl(fd, TCGETS2, new byte[TERMIOS2]);
        if (info.hasTermios()) {
            dev.jcr.image.proto.TermiosEntry te = info.getTermios();
            java.nio.ByteBuffer t = le(old.clone());
            t.putInt(0, te.getCIflag()).putInt(4, te.getCOflag()).putInt(8, te.getCCflag()).putInt(12, te.getCLflag())
                    .put(16, (byte) te.getCLine());
            for (int i = 0; i < Math.min(NCCS, te.getCCcCount()); i++) {
                t.put(17 + i, (byte) te.getCCc(i));
            }
            if (te.getCIspeed() != 0 || te.getCOspeed() != 0) {
                t.putInt(36, te.getCIspeed()).putInt(40, te.getCOspeed());
            }
            Linux.ioctl(fd, TCSETS2, t.array());
        }
        return new Saved(fd, old);
    }

    /** Puts back what {@link #applyToOwn} found, and closes jcr's descriptor of the terminal. */
    public static void putBack(Saved s) {
        try {
            Linux.ioctl(s.fd(), TCSETS2, s.termios());
        } finally {
            Linux.close(s.fd());
        }
    }

    private static java.nio.ByteBuffer le(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** jcr's own terminal, opened with FLAGS (access mode and status flags); refused when jcr has none. */
    public static int openOwn(int flags) {
        for (int fd = 0; fd <= 2; fd++) {
            Path link = Path.of("/proc/self/fd/" + fd);
            try {
                if (isTerminal(Files.readSymbolicLink(link).toString())) {
                    return Linux.open(link.toString(), flags, 0);
                }
            } catch (IOException e) {
                // fd not open: try the next
            }
        }
        throw new RestoreException(Kind.UNSUPPORTED, "--shell-job gives the restored tree jcr's terminal, but jcr's"
                + " stdin, stdout and stderr are no terminal: run jcr restore from a terminal");
    }
}
