package dev.jcr.resource.file;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Regular files unlinked while open. The dump copies their content into the images (a "ghost
 * file", as CRIU calls it); restore recreates a file with that content beside the old name, opens it
 * as it was and unlinks it ({@link GhostFiles}). The copy costs image space, so it is limited; bigger
 * files are refused with their size.
 */
public final class DeletedFileDriver implements ResourceDriver<OpenFd> {

    private final long limitBytes;

    public DeletedFileDriver(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.DELETED_FILE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "content saved and recreated (unlinked) up to "
                + FdDescriber.size(limitBytes) + "; larger ones are refused");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.size() > limitBytes) {
            return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd)
                    + ": larger than the ghost-file limit of " + FdDescriber.size(limitBytes) + ": not supported");
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd) + ", " + fd.accessMode()
                + " at offset " + fd.position());
    }

    /**
     * A REG entry under the file's last name plus a ghost file holding its content (read through the
     * target's fd link, which still reaches the unlinked inode) and a remap-fpath entry joining them.
     */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        long[] ms = FileEntries.modeAndSize(ctx.fdPath(fd.fd()));
        if (ms == null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "deleted file " + path + " vanished");
        }
        if (ms[1] > limitBytes) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "deleted file " + path + " grew to "
                    + FdDescriber.size(ms[1]) + ", over the ghost-file limit");
        }
        ctx.addFd(fd, FdTypes.REG, id -> {
            int[] owner = owner(ctx.fdPath(fd.fd()));
            GhostFileEntry g = GhostFileEntry.newBuilder().setUid(owner[0]).setGid(owner[1]).setMode((int) ms[0])
                    .setIno(fd.inode()).setSize(ms[1]).setChunks(true).build();
            ctx.addGhostFile(id, g, ctx.fdPath(fd.fd()), ms[1]);
            return FileEntries.reg(id, path, FileEntries.fileFlags(fd), fd.position(), (int) ms[0], ms[1]);
        });
    }

    /** uid and gid of what P leads to (the deleted file through its fd link); 0/0 when unreadable. */
    private static int[] owner(java.nio.file.Path p) {
        try {
            java.util.Map<String, Object> a = java.nio.file.Files.readAttributes(p, "unix:uid,gid");
            return new int[] {((Number) a.get("uid")).intValue(), ((Number) a.get("gid")).intValue()};
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return new int[] {0, 0};
        }
    }
}
