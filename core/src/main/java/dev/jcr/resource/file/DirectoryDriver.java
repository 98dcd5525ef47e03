package dev.jcr.resource.file;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.TreeView;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/** Open directories: reopened by path like regular files (a removed directory is not supported). */
public final class DirectoryDriver implements ReopenedByPath {

    @Override
    public ResourceKind kind() {
        return ResourceKind.DIRECTORY;
    }

    /** REG entries whose mode says directory. */
    @Override
    public boolean claims(FileEntry file, FileImages images) {
        return Reopen.type(file) == 0040000;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "reopened by path while the directory exists; /proc/PID ones of a"
                + " process of the dumped tree");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.File f = (FdDetail.File) fd.detail();
        if (f.path().deleted()) {
            return Assessment.unsupported(fd.label(), kind(), "removed directory " + f.path().path()
                    + ": not supported yet");
        }
        if (VirtualFs.isVirtual(f.path().path())) {
            return VirtualFs.assess(fd.label(), kind(), "directory " + f.path().path(), f.path().path());
        }
        return Assessment.supported(fd.label(), kind(), "directory " + f.path().path());
    }

    /** Directories are REG entries too (CRIU tells them apart by the mode). */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        int mode = FileEntries.mode(ctx.fdPath(fd.fd()));
        ctx.addFd(fd, FdTypes.REG, id -> FileEntries.reg(id, path, FileEntries.fileFlags(fd), fd.position(), mode, -1));
    }

    /** A /proc/PID path names a process: it must be dumped too ({@link VirtualFs#inTree}). */
    @Override
    public Assessment assessInTree(long pid, OpenFd fd, Assessment alone, TreeView tree) {
        return VirtualFs.inTree(alone, ((FdDetail.File) fd.detail()).path().path(), tree);
    }
}
