package dev.jcr.resource.pipe;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FifoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Named pipes: dumped as a reopen-by-path (the FIFO must still exist at restore) plus their buffered
 * data, like a pipe's; {@link FifoRestore} reopens the path with the dumped flags and puts the data
 * back once. A FIFO whose name was removed has nothing to reopen and is refused.
 */
public final class FifoDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.FIFO;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "reopened at its path (which must still exist), buffered data put back");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.path().deleted()) {
            return Assessment.unsupported(fd.label(), kind(), "FIFO " + f.path().path()
                    + " was removed: not supported yet");
        }
        return Assessment.supported(fd.label(), kind(), "FIFO " + f.path().path() + ", " + fd.accessMode());
    }

    /**
     * A FIFO entry pointing at a REG entry for its path (how CRIU reopens it), and its buffered data
     * once per FIFO in fifo-data.img.
     */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        long inode = fd.inode();
        int mode = FileEntries.mode(ctx.fdPath(fd.fd()));
        ctx.addFd(fd, FdTypes.FIFO, id -> {
            int reg = ctx.addFile(r -> FileEntries.reg(r, path, FileEntries.fileFlags(fd), 0, mode, -1));
            return FileEntry.newBuilder().setType(FdTypes.FIFO).setId(id)
                    .setFifo(FifoEntry.newBuilder().setId(id).setPipeId((int) inode).setRegfId(reg)).build();
        });
        if (ctx.firstTime("fifo:" + inode)) {
            PipeContent c = PipeContent.peek(ctx.fdPath(fd.fd()));
            ctx.addPipeData(true, c.entry((int) inode), c.data());
        }
    }
}
