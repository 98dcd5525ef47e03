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

/**
 * Regular files that still have a name: the dump records path, flags and position; restore reopens
 * the path and seeks. Files on /proc and /sys too: a /proc/PID file only when PID is dumped with it
 * (restored with its pid, /proc/PID is that process again; one outside the tree would be another
 * process by then), not a thread's own /proc directory (threads come after the files).
 */
public final class RegularFileDriver implements ReopenedByPath {

    @Override
    public ResourceKind kind() {
        return ResourceKind.REGULAR_FILE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "reopened by path; /proc/PID files of a process of the dumped tree in"
                + " the restored process's /proc, other /proc and /sys files by path");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        if (VirtualFs.isVirtual(path)) {
            return VirtualFs.assess(fd.label(), kind(), path + " (" + fd.accessMode() + ")", path);
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd) + ", " + fd.accessMode()
                + " at offset " + fd.position());
    }

    /** A REG entry: path, flags, position and mode; no size (the file may grow, as logs do). */
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
