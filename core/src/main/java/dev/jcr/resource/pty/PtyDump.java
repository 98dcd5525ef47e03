package dev.jcr.resource.pty;

import com.google.protobuf.ByteString;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.TermiosEntry;
import dev.jcr.image.proto.TtyDataEntry;
import dev.jcr.image.proto.TtyInfoEntry;
import dev.jcr.image.proto.TtyPtyEntry;
import dev.jcr.image.proto.TtyType;
import dev.jcr.image.proto.WinsizeEntry;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.DumpContext;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.Ttys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ptys of one dump: jcr's duplicates of each pty's master and slave, gathered while the processes
 * are dumped, and written once every process is seen (the master may be held by another process than
 * the slaves): one tty_info per side, and what each side had not read yet (tty-data.img).
 *
 * <p>Unread data can only be read, not peeked: it is taken out at the very end of the dump and put back
 * at once unless the tree is killed (--kill), and put back if the dump fails after all. Output waiting
 * for the master's reader is put back through the slave with output processing off, input waiting for
 * the slave's reader through the master with input processing and echo off, so no byte changes. Input of
 * a canonical terminal is taken line by line: a partial line not yet ended stays, and is lost with
 * --kill.
 */
final class PtyDump {

    /** CRIU's tty_info id: the pty number, doubled, plus one for the master. */
    static int infoId(int index, boolean master) {
        return index << 1 | (master ? 1 : 0);
    }

    /** One pty: jcr's fd of each side (-1 when the tree holds none) and what stat said of each. */
    private static final class Pty {
        final int index;
        int master = -1;
        int slave = -1;
        Map<String, Object> masterStat;
        Map<String, Object> slaveStat;

        Pty(int index) {
            this.index = index;
        }
    }

    private final Map<Integer, Pty> ptys = new LinkedHashMap<>();

    /** FD of the process being dumped is side MASTER (or a slave) of pty INDEX. */
    void saw(int index, boolean master, OpenFd fd, DumpContext ctx) {
        Pty p = ptys.computeIfAbsent(index, Pty::new);
        if (master && p.master < 0) {
            p.master = ctx.localFd(fd.fd());
            p.masterStat = stat(ctx, fd);
        } else if (!master && p.slave < 0) {
            p.slave = ctx.localFd(fd.fd());
            p.slaveStat = stat(ctx, fd);
        }
    }

    private static Map<String, Object> stat(DumpContext ctx, OpenFd fd) {
        try {
            return Files.readAttributes(ctx.fdPath(fd.fd()), "unix:rdev,dev,uid,gid");
        } catch (IOException e) {
            return Map.of("rdev", 0L, "dev", 0L, "uid", 0, "gid", 0);
        }
    }

    /** Every process is dumped: the tty_info of each side and the unread data. */
    void write(DumpContext ctx) {
        for (Pty p : ptys.values()) {
            if (p.master < 0) {
                continue; // slaves of a terminal outside the tree went the --shell-job way
            }
            int sid = Ttys.session(p.master);
            int pgrp = Ttys.foregroundGroup(p.master);
            ctx.addEntry(ImageKind.TTY_INFO, null, info(p, true, p.master, sid, pgrp), null);
            if (p.slave >= 0) {
                ctx.addEntry(ImageKind.TTY_INFO, null, info(p, false, p.slave, sid, pgrp), null);
            }
            unread(ctx, p);
        }
    }

    private static TtyInfoEntry info(Pty p, boolean master, int fd, int sid, int pgrp) {
        Map<String, Object> st = master ? p.masterStat : p.slaveStat;
        TtyInfoEntry.Builder b = TtyInfoEntry.newBuilder().setId(infoId(p.index, master)).setType(TtyType.PTY)
                .setLocked(Ttys.locked(p.master)).setExclusive(Ttys.exclusive(fd))
                .setPacketMode(master && Ttys.packetMode(p.master)).setSid(sid).setPgrp(pgrp)
                .setRdev((int) (long) (Long) st.get("rdev")).setDev((int) (long) (Long) st.get("dev"))
                .setUid((Integer) st.get("uid")).setGid((Integer) st.get("gid"))
                .setTermios(termios(Ttys.termios(fd))).setTermiosLocked(termios(Ttys.lockedTermios(fd)))
                .setPty(TtyPtyEntry.newBuilder().setIndex(p.index));
        Ttys.Winsize w = Ttys.winsize(fd);
        b.setWinsize(WinsizeEntry.newBuilder().setWsRow(w.rows()).setWsCol(w.cols()).setWsXpixel(w.xpixel())
                .setWsYpixel(w.ypixel()));
        return b.build();
    }

    static TermiosEntry termios(Ttys.Termios t) {
        TermiosEntry.Builder b = TermiosEntry.newBuilder().setCIflag(t.iflag()).setCOflag(t.oflag()).setCCflag(t.cflag())
                .setCLflag(t.lflag()).setCLine(t.line()).setCIspeed(0).setCOspeed(0);
        for (int c : t.cc()) {
            b.addCCc(c);
        }
        return b.build();
    }

    /** Takes out what each side had not read, records it, and puts it back unless the tree is killed. */
    private static void unread(DumpContext ctx, Pty p) {
        boolean ownSlave = p.slave < 0;
        int slave = ownSlave ? Ttys.openPeer(p.master, Linux.O_RDWR | 0400 /* O_NOCTTY */) : p.slave;
        try {
            // the slave wrote it, the master's reader has not read it
            byte[] output = drain(p.master, Ttys.packetMode(p.master));
            // the master wrote it, the slave's reader has not read it
            byte[] input = drain(slave, false);
            if (output.length > 0) {
                ctx.addEntry(ImageKind.TTY_DATA, null, TtyDataEntry.newBuilder().setTtyId(infoId(p.index, true))
                        .setData(ByteString.copyFrom(output)).build(), null);
            }
            if (input.length > 0) {
                ctx.addEntry(ImageKind.TTY_DATA, null, TtyDataEntry.newBuilder().setTtyId(infoId(p.index, false))
                        .setData(ByteString.copyFrom(input)).build(), null);
            }
            if (output.length == 0 && input.length == 0) {
                return;
            }
            if (ctx.killAfter()) {
                // jcr's fds of the pty stay open until the dump ends, after the undo steps: nothing outlives it
                ctx.onFailure(() -> {
                    int s = ownSlave ? Ttys.openPeer(p.master, Linux.O_RDWR | 0400) : p.slave;
                    try {
                        putBack(p.master, s, output, input);
                    } finally {
                        if (ownSlave) {
                            Linux.close(s);
                        }
                    }
                });
            } else {
                putBack(p.master, slave, output, input);
            }
        } finally {
            if (ownSlave) {
                Linux.close(slave);
            }
        }
    }

    /**
     * Puts OUTPUT back before the master's reader (written by the slave with output processing off) and
     * INPUT before the slave's reader (written by the master with input processing and echo off).
     */
    static void putBack(int master, int slave, byte[] output, byte[] input) {
        Ttys.Termios t = Ttys.termios(slave);
        try {
            if (output.length > 0) {
                Ttys.setTermios(slave, t.withFlags(t.iflag(), t.oflag() & ~Ttys.OPOST, t.lflag()));
                writeAll(slave, output);
            }
            if (input.length > 0) {
                // flow control stays as it is: changing it would tell a packet-mode master reader it changed
                Ttys.setTermios(slave, t.withFlags(t.iflag() & Ttys.FLOW_CONTROL, t.oflag(),
                        t.lflag() & ~Ttys.NO_ECHO_OR_SIGNALS));
                writeAll(master, input);
            }
        } finally {
            Ttys.setTermios(slave, t);
        }
    }

    /**
     * What FD has to read now (FIONREAD says how much; a canonical slave hands out whole lines). A master
     * in PACKET mode puts a status byte before each read's data: it is read too and left out (a nonzero
     * status is a control notice with no data, which is not kept).
     */
    private static byte[] drain(int fd, boolean packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = Ttys.queued(fd); n > 0; n = Ttys.queued(fd)) {
            byte[] got = Sockets.read(fd, packet ? n + 1 : n);
            if (got == null || got.length == 0) {
                break;
            }
            int from = packet ? 1 : 0;
            if (!packet || got[0] == 0) {
                out.write(got, from, got.length - from);
            }
        }
        return out.toByteArray();
    }

    private static void writeAll(int fd, byte[] data) {
        Linux.write(fd, data);
    }
}
