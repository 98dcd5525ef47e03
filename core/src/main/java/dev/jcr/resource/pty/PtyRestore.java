package dev.jcr.resource.pty;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.TermiosEntry;
import dev.jcr.image.proto.TtyDataEntry;
import dev.jcr.image.proto.TtyInfoEntry;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.file.Reopen;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.Ttys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ptys of one restore, made in jcr: for pty N, /dev/ptmx is opened until the kernel hands out N
 * (the lower numbers it hands out meanwhile are closed again; a higher one means N is taken), then
 * every slave description of the images is opened (TIOCGPTPEER), the unread data is put back, and the
 * terminal's settings are applied; the lock comes last, once the slaves are open.
 */
final class PtyRestore {

    private static final int O_NOCTTY = 0400;

    /** jcr's fds of one pty: its master and each slave description, by files.img id. */
    private record Pty(int master, Map<Integer, Integer> slaves) {
    }

    private final RestoreContext ctx;
    private final Map<Integer, Pty> byIndex = new HashMap<>();

    PtyRestore(RestoreContext ctx) {
        this.ctx = ctx;
    }

    /** tty-info.img by id, read and checked once per restore. */
    static Map<Integer, TtyInfoEntry> infos(FileImages images) {
        return images.derived("tty-info", () -> {
            Map<Integer, TtyInfoEntry> m = new HashMap<>();
            for (ImageEntry e : images.read(ImageKind.TTY_INFO, null)) {
                TtyInfoEntry t = (TtyInfoEntry) e.message();
                for (TermiosEntry te : List.of(t.getTermios(), t.getTermiosLocked())) {
                    if (te.getCCcCount() > Ttys.NCCS) {
                        throw images.bad(ImageKind.TTY_INFO, null, "tty_info " + t.getId() + ": " + te.getCCcCount()
                                + " control characters (at most " + Ttys.NCCS + ")");
                    }
                }
                if (t.hasPty() && t.getPty().getIndex() != t.getId() >> 1) {
                    throw images.bad(ImageKind.TTY_INFO, null, "tty_info " + t.getId() + ": pty.index "
                            + t.getPty().getIndex() + " does not match its id");
                }
                m.put(t.getId(), t);
            }
            return m;
        });
    }

    /** tty-data.img: unread bytes by tty_info id. */
    static Map<Integer, byte[]> data(FileImages images) {
        return images.derived("tty-data", () -> {
            Map<Integer, ByteArrayOutputStream> m = new HashMap<>();
            for (ImageEntry e : images.read(ImageKind.TTY_DATA, null)) {
                TtyDataEntry d = (TtyDataEntry) e.message();
                if (!infos(images).containsKey(d.getTtyId())) {
                    throw images.bad(ImageKind.TTY_DATA, null, "data of tty_info " + d.getTtyId() + ", which tty-info.img"
                            + " lacks");
                }
                m.computeIfAbsent(d.getTtyId(), k -> new ByteArrayOutputStream()).writeBytes(d.getData().toByteArray());
            }
            Map<Integer, byte[]> out = new HashMap<>();
            m.forEach((k, v) -> out.put(k, v.toByteArray()));
            return out;
        });
    }

    /** jcr's fd of FILE (a master or a slave description), making its pty first. */
    int fd(FileEntry file) {
        TtyInfoEntry info = infos(ctx).get(file.getTty().getTtyInfoId());
        int index = info.getPty().getIndex();
        Pty p = byIndex.get(index);
        if (p == null) {
            p = make(index);
            byIndex.put(index, p);
        }
        if ((info.getId() & 1) != 0) {
            return p.master();
        }
        Integer s = p.slaves().get(file.getId());
        if (s == null) {
            throw new RestoreException(Kind.INTERNAL, "pty /dev/pts/" + index + ": slave file " + file.getId() + " not made");
        }
        return s;
    }

    private Pty make(int index) {
        Map<Integer, TtyInfoEntry> infos = infos(ctx);
        TtyInfoEntry mi = infos.get(PtyDump.infoId(index, true));
        TtyInfoEntry si = infos.get(PtyDump.infoId(index, false));
        List<FileEntry> masters = new ArrayList<>();
        List<FileEntry> slaves = new ArrayList<>();
        for (ImageEntry e : ctx.read(ImageKind.FILES, null)) {
            FileEntry f = (FileEntry) e.message();
            if (f.getType() == FdTypes.TTY && f.hasTty()) {
                if (f.getTty().getTtyInfoId() == mi.getId()) {
                    masters.add(f);
                } else if (si != null && f.getTty().getTtyInfoId() == si.getId()) {
                    slaves.add(f);
                }
            }
        }
        int masterFlags = masters.isEmpty() ? Linux.O_RDWR : masters.get(0).getTty().getFlags() & Reopen.KEPT;
        int master = open(index, masterFlags);
        Ttys.setLocked(master, false);
        int setup = ctx.keep(Ttys.openPeer(master, Linux.O_RDWR | O_NOCTTY | Linux.O_NONBLOCK));
        Ttys.Termios slaveTermios = si != null ? termios(si.getTermios()) : Ttys.termios(setup);
        Map<Integer, byte[]> data = data(ctx);
        PtyDump.putBack(master, setup, data.getOrDefault(mi.getId(), new byte[0]),
                si == null ? new byte[0] : data.getOrDefault(si.getId(), new byte[0]));
        Ttys.setTermios(setup, slaveTermios);
        Ttys.setTermios(master, termios(mi.getTermios()));
        if (si != null) {
            lockedTermios(setup, si);
            owner(setup, si, index);
            if (si.getExclusive()) {
                Ttys.setExclusive(setup, true);
            }
        }
        if (mi.hasWinsize()) {
            Ttys.setWinsize(master, new Ttys.Winsize(mi.getWinsize().getWsRow(), mi.getWinsize().getWsCol(),
                    mi.getWinsize().getWsXpixel(), mi.getWinsize().getWsYpixel()));
        }
        if (mi.getPacketMode()) {
            Ttys.setPacketMode(master, true);
        }
        Map<Integer, Integer> slaveFds = new HashMap<>();
        for (FileEntry f : slaves) {
            slaveFds.put(f.getId(), ctx.keep(Ttys.openPeer(master, (f.getTty().getFlags() & Reopen.KEPT) | O_NOCTTY)));
        }
        if (mi.getLocked()) {
            Ttys.setLocked(master, true);
        }
        return new Pty(master, slaveFds);
    }

    /**
     * /dev/ptmx opened with FLAGS until it is pty N: the kernel hands out the lowest free number, so the
     * lower ones are held until N comes and then closed; a number above N means N is in use. A pty whose
     * last holder just exited (the dumped tree, killed) is released by the kernel a moment later: while
     * no process holds /dev/pts/N, that moment is waited for (a few seconds at most).
     */
    private int open(int index, int flags) {
        long deadline = System.nanoTime() + RELEASE_WAIT_NANOS;
        while (true) {
            int got = tryOpen(index, flags);
            if (got < 0) {
                return -got - 1;
            }
            long holder = dev.jcr.proc.ProcFs.system().holderOf("/dev/pts/" + index, java.util.Set.of());
            if (holder > 0 || System.nanoTime() > deadline) {
                throw new RestoreException(Kind.CONFLICT, "pty /dev/pts/" + index + " is in use"
                        + (holder > 0 ? " by pid " + holder + " (" + comm(holder) + ")" : "") + ": it cannot get its"
                        + " number back (the kernel"
                        + " gave /dev/pts/" + got + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }

    private static final long RELEASE_WAIT_NANOS = 5_000_000_000L;

    private static String comm(long pid) {
        try {
            return dev.jcr.proc.ProcFs.system().process(pid).comm();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** jcr's fd of pty INDEX encoded as -(fd + 1), or the number the kernel gave instead (INDEX is taken). */
    private int tryOpen(int index, int flags) {
        List<Integer> lower = new ArrayList<>();
        try {
            while (true) {
                int fd = Linux.open("/dev/ptmx", flags | O_NOCTTY, 0);
                int got = Ttys.ptyIndex(fd);
                if (got == index) {
                    return -ctx.keep(fd) - 1;
                }
                if (got > index) {
                    Linux.close(fd);
                    return got;
                }
                lower.add(fd); // held until N comes, so that the kernel hands out the next number
            }
        } finally {
            for (int fd : lower) {
                Linux.close(fd);
            }
        }
    }

    private static void lockedTermios(int slave, TtyInfoEntry si) {
        if (!si.hasTermiosLocked()) {
            return;
        }
        Ttys.Termios t = termios(si.getTermiosLocked());
        if (!t.equals(Ttys.lockedTermios(slave))) {
            try {
                Ttys.setLockedTermios(slave, t);
            } catch (SyscallException e) {
                throw new RestoreException(e.kind(), "pty /dev/pts/" + si.getPty().getIndex() + ": locked termios: "
                        + e.getMessage(), e);
            }
        }
    }

    /** /dev/pts/N belongs to whom it belonged (grantpt gave it to the terminal's user). */
    private static void owner(int slave, TtyInfoEntry si, int index) {
        if (!si.hasUid()) {
            return;
        }
        Path p = Path.of("/proc/self/fd/" + slave);
        try {
            if (((Integer) Files.getAttribute(p, "unix:uid")) != si.getUid()
                    || ((Integer) Files.getAttribute(p, "unix:gid")) != si.getGid()) {
                Files.setAttribute(p, "unix:uid", si.getUid());
                Files.setAttribute(p, "unix:gid", si.getGid());
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new RestoreException(Kind.PERMISSION, "cannot give /dev/pts/" + index + " its owner " + si.getUid() + ":"
                    + si.getGid() + " back: " + e);
        }
    }

    static Ttys.Termios termios(TermiosEntry t) {
        int[] cc = new int[Ttys.NCCS];
        for (int i = 0; i < Math.min(cc.length, t.getCCcCount()); i++) {
            cc[i] = t.getCCc(i);
        }
        return new Ttys.Termios(t.getCIflag(), t.getCOflag(), t.getCCflag(), t.getCLflag(), t.getCLine(), cc);
    }
}
