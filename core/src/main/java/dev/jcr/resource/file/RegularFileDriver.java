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
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Regular files that still have a name: the dump records path, flags and position; restore reopens
 * the path and seeks. Files on /proc and /sys are refused: reopening them by path would reach a
 * different object (another process's /proc/PID, a re-created sysfs node).
 */
public final class RegularFileDriver implements ReopenedByPath {

    @Override
    public ResourceKind kind() {
        return ResourceKind.REGULAR_FILE;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "reopened by path (not on /proc or /sys)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String path = ((FdDetail.File) fd.detail()).path().path();
        if (VirtualFs.isVirtual(path)) {
            return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd)
                    + ": files of /proc and /sys cannot be reopened by path: not supported yet");
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
}
