package dev.jcr.resource.device;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.Options;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.file.Reopen;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Terminals (consoles, serial ports, /dev/tty) and, for the pty driver, pty slaves whose master is not
 * dumped: jcr does not recreate them; with --shell-job the restored process is given the terminal jcr
 * itself runs on instead.
 */
public final class TerminalDriver implements FileDriver {

    @Override
    public ResourceKind kind() {
        return ResourceKind.TERMINAL;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.REG;
    }

    /** REG entries naming a terminal, whatever became of it since the dump. */
    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return file.hasReg() && Terminals.isTerminal(file.getReg().getName());
    }

    @Override
    public Support support() {
        return new Support(Verdict.NEEDS_OPTION, Options.SHELL_JOB + ": reattached to the restoring terminal");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.needsOption(fd.label(), kind(), FdDescriber.describe(fd)
                + ": terminals are not recreated; " + Options.SHELL_JOB + " reattaches it to jcr's terminal",
                Options.SHELL_JOB);
    }

    /**
     * With --shell-job the terminal is recorded by path as a REG entry with its character-device mode:
     * restore gives the process the restoring terminal instead, so nothing of the terminal itself is kept.
     */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        dumpShellJob(fd, ctx);
    }

    /** A terminal (or a pty slave whose master stays outside the tree) as --shell-job records it. */
    public static void dumpShellJob(OpenFd fd, DumpContext ctx) {
        int mode = FileEntries.mode(ctx.fdPath(fd.fd()));
        ctx.addFd(fd, FdTypes.REG, id -> FileEntries.reg(id, fd.link(), FileEntries.fileFlags(fd), 0, mode, -1));
        // its line settings and window size, once per terminal (tty-info.img): the restore gives them to
        // jcr's terminal, so that a program in raw mode (vi) does not come back to an echoing terminal
        if (ctx.firstTime(java.util.List.of("tty-info", fd.link()))) {
            String[] stat = ctx.proc().read(ctx.pid(), ctx.proc().dir(ctx.pid()).resolve("stat")).replaceFirst(".*\\) ", "")
                    .split(" ");
            int sid = Integer.parseInt(stat[3]);
            int pgrp = Integer.parseInt(stat[5]);
            Terminals.state(ctx.fdPath(fd.fd()), fd.link(), sid, pgrp)
                    .ifPresent(info -> ctx.addEntry(dev.jcr.image.ImageKind.TTY_INFO, null, info, null));
        }
    }

    /**
     * Only --shell-job dumps hold terminals (the engine refuses them otherwise): jcr's own terminal,
     * with the dumped access mode and status flags.
     */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        return ctx.keep(Terminals.openOwn(file.getReg().getFlags() & Reopen.KEPT & ~Reopen.O_NOFOLLOW));
    }
}
