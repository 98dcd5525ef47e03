package dev.jcr.resource.pipe;

import dev.jcr.image.ImagePath;
import dev.jcr.Quote;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FifoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileOwners;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.FileCalls;
import dev.jcr.sys.Linux;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import dev.jcr.sys.SyscallException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Named pipes: dumped as a reopen-by-path (the FIFO must still exist at restore) plus their buffered
 * data, like a pipe's. A FIFO whose name was removed has nothing to reopen and is refused.
 *
 * <p>Restore: jcr first opens the FIFO O_RDWR|O_NONBLOCK itself, which never blocks (a read-only
 * open would wait for a writer, a write-only one for a reader); while jcr holds that "anchor", every
 * further open of the same FIFO through /proc/self/fd/N finds both a reader and a writer and returns
 * at once, with exactly the dumped access mode and status flags. The buffered bytes are written into
 * the FIFO once, when its anchor is made, so fds and processes sharing it before the dump share one
 * buffer again. The anchor is closed with jcr's other fds when the restore is done; the data stays
 * while any end is open.
 */
public final class FifoDriver implements FileDriver {

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    /** Access mode and status flags an open FIFO keeps (O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_LARGEFILE). */
    private static final int KEPT = 0x3 | 0x400 | 0x800 | 0x2000 | 0x4000 | 0x8000;

    /** jcr's anchor fd of each FIFO of one restore, by pipe_id. */
    private record Anchors(Map<Integer, Integer> byPipe) {
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.FIFO;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.FIFO;
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
            // a FIFO entry has no fown of its own: its owner goes into its path entry, as in CRIU
            var owner = ctx.owner(fd);
            int reg = ctx.addFile(r -> owner == null ? FileEntries.reg(r, path, FileEntries.fileFlags(fd), 0, mode, -1)
                    : FileOwners.withOwner(FileEntries.reg(r, path, FileEntries.fileFlags(fd), 0, mode, -1), owner));
            return FileEntry.newBuilder().setType(FdTypes.FIFO).setId(id)
                    .setFifo(FifoEntry.newBuilder().setId(id).setPipeId((int) inode).setRegfId(reg)).build();
        });
        if (ctx.firstTime("fifo:" + inode)) {
            PipeContent c = PipeContent.peek(ctx.fdPath(fd.fd()));
            ctx.addEntry(ImageKind.FIFO_DATA, null, c.entry((int) inode), c.data());
        }
    }

    /** The FIFO entry names a path entry (regf_id), which must still exist; its buffers image must be sound. */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasFifo()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a FIFO without its fifo entry");
        }
        RegFileEntry reg = path(file, images);
        java.nio.file.Path at = ImagePath.of(reg.getName(), images.imageFile(ImageKind.FILES, null),
                "reg.name of file " + file.getFifo().getRegfId() + " (path of FIFO " + file.getId() + ")");
        if (!Files.exists(at)) {
            throw new RestoreException(Kind.CONFLICT, use + ": FIFO " + Quote.of(reg.getName()) + " no longer exists");
        }
        PipeBuffers.of(ImageKind.FIFO_DATA, images);
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        FifoEntry e = file.getFifo();
        RegFileEntry reg = path(file, ctx);
        Map<Integer, Integer> anchors = ctx.state(Anchors.class, () -> new Anchors(new HashMap<>())).byPipe();
        Integer anchor = anchors.get(e.getPipeId());
        if (anchor == null) {
            PipeBuffers b = PipeBuffers.of(ImageKind.FIFO_DATA, ctx);
            anchor = anchor(reg.getName(), b.data(e.getPipeId()), b.size(e.getPipeId()), ctx);
            anchors.put(e.getPipeId(), anchor);
        }
        return ctx.keep(Linux.open("/proc/self/fd/" + anchor, reg.getFlags() & KEPT, 0));
    }

    /** Access and modification time of PATH in nanoseconds, or null when they cannot be read. */
    private static long[] times(String path) {
        try {
            Map<String, Object> a = Files.readAttributes(java.nio.file.Path.of(path), "unix:lastAccessTime,lastModifiedTime");
            return new long[] {((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS),
                    ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The path entry a FIFO entry points at (regf_id). */
    private static RegFileEntry path(FileEntry file, FileImages images) {
        FileEntry regf = images.file(file.getFifo().getRegfId());
        if (regf == null) {
            throw images.bad(ImageKind.FILES, null, "has no file " + file.getFifo().getRegfId() + " (path of FIFO "
                    + file.getId() + ")");
        }
        if (!regf.hasReg()) {
            throw images.bad(ImageKind.FILES, null, "FIFO " + file.getId() + ": regf_id " + regf.getId() + " is not a path");
        }
        return regf.getReg();
    }

    private static int anchor(String path, byte[] data, int size, RestoreContext ctx) {
        long[] ms = FileEntries.modeAndSize(java.nio.file.Path.of(path));
        if (ms == null) {
            throw new RestoreException(Kind.CONFLICT, "FIFO " + Quote.of(path) + " no longer exists");
        }
        if ((ms[0] & S_IFMT) != S_IFIFO) {
            throw new RestoreException(Kind.CONFLICT, Quote.of(path) + " is no longer a FIFO");
        }
        int fd = ctx.keep(Linux.open(path, Linux.O_RDWR | Linux.O_NONBLOCK, 0));
        // writing into a FIFO moves its modification time: the bytes were written before the dump
        long[] times = times(path);
        try {
            PipeBuffers.refill(fd, data, size);
        } catch (SyscallException e) {
            throw new RestoreException(Kind.CONFLICT, "FIFO " + Quote.of(path) + " cannot take its " + data.length
                    + " buffered bytes back (" + e.getMessage() + "): someone else filled it since the dump");
        }
        if (data.length > 0 && times != null) {
            try {
                FileCalls.futimens(fd, times[0], times[1]);
            } catch (SyscallException e) {
                // not its owner and no CAP_FOWNER: the FIFO keeps the time of the refill
            }
        }
        return fd;
    }
}
