package dev.jcr.resource.pipe;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.PipeEntry;
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

/** Anonymous pipes: both ends are recreated and the buffered data is saved and put back. */
public final class PipeDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.PIPE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "both ends and buffered data");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    /** One PIPE entry per open end; the buffered data once per pipe (pipe_id is the pipe's inode). */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        long inode = ((FdDetail.Pipe) fd.detail()).inode();
        ctx.addFd(fd, FdTypes.PIPE, id -> FileEntry.newBuilder().setType(FdTypes.PIPE).setId(id)
                .setPipe(PipeEntry.newBuilder().setId(id).setPipeId((int) inode).setFlags(FileEntries.fileFlags(fd))
                        .setFown(FileEntries.noOwner()))
                .build());
        if (ctx.firstTime("pipe:" + inode)) {
            PipeContent c = PipeContent.peek(ctx.fdPath(fd.fd()));
            ctx.addPipeData(false, c.entry((int) inode), c.data());
        }
    }
}
