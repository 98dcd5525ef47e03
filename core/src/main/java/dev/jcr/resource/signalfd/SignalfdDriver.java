package dev.jcr.resource.signalfd;

import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.SignalfdEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Linux;

/**
 * signalfd: its whole state is the set of signals it accepts and its flags. The signals themselves
 * are pending on the process (restored with its pending signals), not in the fd: a signalfd reads
 * whatever the reading thread has pending, so one recreated in jcr and passed on reads the restored
 * process's signals.
 */
public final class SignalfdDriver implements FileDriver {

    /** Bits of SIGKILL and SIGSTOP, which a signalfd never accepts. */
    private static final int SIGKILL_BIT = 1 << 8;
    private static final int SIGSTOP_BIT = 1 << 18;

    @Override
    public ResourceKind kind() {
        return ResourceKind.SIGNALFD;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.SIGNALFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "signal mask and flags (the signals stay pending on the process)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    /** CRIU's signalfd_entry: flags (O_NONBLOCK; O_CLOEXEC is the fd's) and the mask from fdinfo. */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        long mask = ((FdDetail.Signalfd) fd.detail()).sigmask();
        ctx.addFd(fd, FdTypes.SIGNALFD, id -> FileEntry.newBuilder().setType(FdTypes.SIGNALFD).setId(id)
                .setSgfd(SignalfdEntry.newBuilder().setId(id).setFlags(FileEntries.fileFlags(fd))
                        .setFown(FileEntries.noOwner()).setSigmask(mask))
                .build());
    }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasSgfd()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a SIGNALFD without its sgfd entry");
        }
        long mask = file.getSgfd().getSigmask();
        if ((mask & (SIGKILL_BIT | SIGSTOP_BIT)) != 0) {
            // the kernel silently drops them; an image that has them was not written by a dump
            throw images.bad(ImageKind.FILES, null, String.format("signalfd %d sgfd.sigmask 0x%x holds SIGKILL or SIGSTOP,"
                    + " which no signalfd can accept", file.getId(), mask));
        }
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        SignalfdEntry e = file.getSgfd();
        return ctx.keep(Linux.signalfd(e.getSigmask(), e.getFlags() & Linux.O_NONBLOCK | Linux.O_CLOEXEC));
    }
}
