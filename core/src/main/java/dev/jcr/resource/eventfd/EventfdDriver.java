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
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** eventfd: its whole state is a counter and flags, all visible in fdinfo, so it is recreated exactly. */
public final class EventfdDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVENTFD;
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
}
