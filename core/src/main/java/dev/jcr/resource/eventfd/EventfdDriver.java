package dev.jcr.resource.eventfd;

import dev.jcr.image.proto.EventfdFileEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.image.ImageKind;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * eventfd: its whole state is a counter and flags, all visible in fdinfo, so it is recreated exactly:
 * a fresh eventfd in jcr with the dumped flags (EFD_SEMAPHORE, O_NONBLOCK), its counter set by one
 * write of the dumped value, since eventfd(2)'s initial value is only 32 bits wide while the counter
 * is 64.
 */
public final class EventfdDriver implements FileDriver {

    private static final int EFD_SEMAPHORE = 1;

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVENTFD;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.EVENTFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "counter and flags");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    /** Counter and flags (EFD_SEMAPHORE is kept in the flags, as the kernel shows it in fdinfo). */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Eventfd e = (FdDetail.Eventfd) fd.detail();
        int flags = FileEntries.fileFlags(fd) | (e.semaphore() ? 1 : 0);
        ctx.addFd(fd, FdTypes.EVENTFD, id -> FileEntry.newBuilder().setType(FdTypes.EVENTFD).setId(id)
                .setEfd(EventfdFileEntry.newBuilder().setId(id).setFlags(flags).setFown(FileEntries.noOwner())
                        .setCounter(e.count()))
                .build());
    }

    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasEfd()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is an EVENTFD without its efd entry");
        }
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        EventfdFileEntry e = file.getEfd();
        int fd = ctx.keep(Linux.eventfd(0, e.getFlags() & (EFD_SEMAPHORE | Linux.O_NONBLOCK) | Linux.O_CLOEXEC));
        if (e.getCounter() != 0) {
            // Adding to a zero counter never blocks: any value up to 2^64-2 fits.
            Linux.write(fd, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(e.getCounter()).array());
        }
        return fd;
    }
}
