package dev.jcr.resource.lock;

import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileLockEntry;
import dev.jcr.proc.FileLock;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import java.util.List;

/**
 * File locks and leases held by a process: flock(2) locks, POSIX (fcntl F_SETLK) and OFD (F_OFD_SETLK)
 * byte-range locks, read or write, and F_SETLEASE leases. The dump writes CRIU's file-lock image
 * (filelocks.img: kind, type, holder pid and fd, start, length), once per lock: a POSIX lock belongs
 * to its process, the others to an open file description, which several fds and processes may share.
 * The restore takes each lock again from inside its holder, on the holder's own fd ({@link FileLocks}).
 * A lease being broken (another process waits to open the file) and NFS delegations are refused.
 */
public final class FileLockDriver implements ResourceDriver<FileLock> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.FILE_LOCK;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "flock, POSIX and OFD locks (read or write, byte ranges) and leases,"
                + " taken again by their holder; not a lease being broken");
    }

    @Override
    public Assessment assess(FileLock l) {
        String label = "fd " + l.fd() + " lock";
        return switch (l.kind()) {
            case DELEG, OTHER -> Assessment.unsupported(label, kind(), l.describe() + ": not supported");
            case LEASE -> l.breaking()
                    ? Assessment.unsupported(label, kind(), l.describe() + ": another process is waiting to open the"
                            + " file; restoring a lease break in progress is not supported")
                    : Assessment.supported(label, kind(), l.describe());
            case POSIX, FLOCK, OFD -> Assessment.supported(label, kind(), l.describe());
        };
    }

    /** One filelocks.img entry per lock (the first fd seen holding it), as CRIU writes them. */
    @Override
    public void dump(FileLock l, DumpContext ctx) {
        int file = ctx.fileIdOf(l.fd());
        // a POSIX lock is its process's; the others live in the open file description, seen by every fd of it
        Object key = l.kind() == FileLock.Kind.POSIX ? List.of("posix", ctx.pid(), file, l.start(), l.end(), l.type())
                : List.of("lock", file, l.kind(), l.start(), l.end(), l.type());
        if (!ctx.firstTime(key)) {
            return;
        }
        FileLockEntry e = FileLockEntry.newBuilder().setFlag(FileLocks.flag(l.kind())).setType(l.type().ordinal())
                .setPid(ctx.pid()).setFd(l.fd()).setStart(l.start()).setLen(l.length()).build();
        ctx.addEntry(ImageKind.FILE_LOCKS, null, e, null);
    }
}
