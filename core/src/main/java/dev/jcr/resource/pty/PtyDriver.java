package dev.jcr.resource.pty;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.TtyFileEntry;
import dev.jcr.image.proto.TtyInfoEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.FdKind;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.InProcess;
import dev.jcr.resource.Options;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.TreeView;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.device.TerminalDriver;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Ttys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Pseudo-terminals whose master and slaves are in the tree (a terminal multiplexer and its panes, an
 * expect session), dumped as CRIU's tty_file_entry (files.img), tty_info_entry (tty-info.img, one per
 * side: termios, locked termios, window size, packet mode, lock, exclusive mode, session and foreground
 * group) and tty_data_entry (tty-data.img: bytes each side had not read yet), and recreated with the
 * same number N (/dev/pts/N) as CRIU does: /dev/ptmx is opened until the kernel hands out N.
 * The session leader gets its controlling terminal back, with its foreground process group
 * ({@link #settle}).
 *
 * <p>A slave whose master is not in the tree is a terminal the tree merely runs on: with --shell-job it is
 * given jcr's terminal at restore ({@link TerminalDriver}), as CRIU does.
 */
public final class PtyDriver implements FileDriver {

    @Override
    public ResourceKind kind() {
        return ResourceKind.PTY;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.TTY;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "master and slaves in the tree: number, termios, window size, packet"
                + " mode, lock, unread data, controlling terminal; a slave whose master is outside: "
                + Options.SHELL_JOB);
    }

    @Override
    public Assessment assess(OpenFd fd) {
        int index = index(fd);
        if (index < 0) {
            return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd) + ": its pty number is unknown"
                    + " (no tty-index in fdinfo): not supported");
        }
        if (fd.kind() == FdKind.PTY_MASTER) {
            return Assessment.supported(fd.label(), kind(), "pty master of /dev/pts/" + index);
        }
        return shellJob(fd, index);
    }

    private Assessment shellJob(OpenFd fd, int index) {
        return Assessment.needsOption(fd.label(), kind(), "pty /dev/pts/" + index + ": its master is not dumped with it;"
                + " " + Options.SHELL_JOB + " reattaches it to jcr's terminal", Options.SHELL_JOB);
    }

    /** A slave is restored with its pty when the tree holds the master too. */
    @Override
    public Assessment assessInTree(long pid, OpenFd fd, Assessment alone, TreeView tree) {
        if (fd.kind() == FdKind.PTY_SLAVE && alone.verdict() == Verdict.NEEDS_OPTION && masterInTree(index(fd), tree)) {
            return Assessment.supported(fd.label(), kind(), "pty /dev/pts/" + index(fd) + " (its master is dumped with it)");
        }
        return alone;
    }

    /** True when TREE holds the master of pty N. */
    public static boolean masterInTree(int n, TreeView tree) {
        return n >= 0 && !tree.find(f -> f.kind() == FdKind.PTY_MASTER && index(f) == n).isEmpty();
    }

    static int index(OpenFd fd) {
        return fd.detail() instanceof FdDetail.Device d ? d.ptyIndex() : -1;
    }

    // ---------------------------------------------------------------- dump

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        int index = index(fd);
        boolean master = fd.kind() == FdKind.PTY_MASTER;
        if (!master && !masterInTree(index, ctx.tree())) {
            TerminalDriver.dumpShellJob(fd, ctx); // --shell-job: the check allowed nothing else
            return;
        }
        String path = master ? "/dev/ptmx" : "/dev/pts/" + index;
        int mode = FileEntries.mode(ctx.fdPath(fd.fd()));
        int info = PtyDump.infoId(index, master);
        ctx.addFd(fd, FdTypes.TTY, id -> {
            int reg = ctx.addFile(r -> FileEntries.reg(r, path, FileEntries.fileFlags(fd), 0, mode, -1));
            return FileEntry.newBuilder().setType(FdTypes.TTY).setId(id).setTty(TtyFileEntry.newBuilder().setId(id)
                    .setTtyInfoId(info).setFlags(FileEntries.fileFlags(fd)).setFown(FileEntries.noOwner())
                    .setRegfId(reg)).build();
        });
        PtyDump all = ctx.shared(PtyDump.class, PtyDump::new);
        all.saw(index, master, fd, ctx);
        ctx.atEnd(PtyDump.class, () -> all.write(ctx));
    }

    // ---------------------------------------------------------------- restore

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasTty()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a tty without its tty entry");
        }
        TtyInfoEntry info = PtyRestore.infos(images).get(file.getTty().getTtyInfoId());
        if (info == null) {
            throw images.bad(ImageKind.TTY_INFO, null, "has no tty_info " + file.getTty().getTtyInfoId() + " (of file "
                    + file.getId() + ", " + use + ")");
        }
        if (!info.hasPty()) {
            throw new RestoreException(Kind.UNSUPPORTED, use + ": a " + info.getType() + " terminal: only ptys are restored");
        }
        if (!PtyRestore.infos(images).containsKey(PtyDump.infoId(info.getPty().getIndex(), true))) {
            throw new RestoreException(Kind.UNSUPPORTED, use + ": pty /dev/pts/" + info.getPty().getIndex()
                    + " without its master in the images");
        }
        PtyRestore.data(images);
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        return ctx.state(PtyRestore.class, () -> new PtyRestore(ctx)).fd(file);
    }

    /**
     * In the session leader of the pty's session: the slave becomes its controlling terminal again
     * (TIOCSCTTY), with the foreground process group it had (TIOCSPGRP; best effort: that group may be
     * gone). Other holders do nothing.
     */
    @Override
    public void settle(FileEntry file, FdUse use, InProcess process, FileImages images) {
        TtyInfoEntry info = PtyRestore.infos(images).get(file.getTty().getTtyInfoId());
        if (info == null || (info.getId() & 1) != 0 || info.getSid() == 0 || info.getSid() != process.pid()) {
            return;
        }
        process.call("ioctl(TIOCSCTTY) of fd " + use.fd(), SYS_IOCTL, use.fd(), Ttys.TIOCSCTTY, 0);
        if (info.getPgrp() != 0) {
            long pgrp = process.put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(info.getPgrp()).array());
            try {
                process.call("ioctl(TIOCSPGRP " + info.getPgrp() + ") of fd " + use.fd(), SYS_IOCTL, use.fd(),
                        Ttys.TIOCSPGRP, pgrp);
            } catch (RuntimeException e) {
                // the foreground group did not come back (it had exited): the session's own group stays in front
            }
        }
    }

    private static final int SYS_IOCTL = 16;
}
