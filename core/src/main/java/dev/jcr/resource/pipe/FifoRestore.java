package dev.jcr.resource.pipe;

import dev.jcr.Quote;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FifoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileRestorer;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.util.HashMap;
import java.util.Map;

/**
 * Restore side of {@link FifoDriver}. The FIFO must still exist at its path. jcr first opens it
 * O_RDWR|O_NONBLOCK itself, which never blocks (a read-only open would wait for a writer, a
 * write-only one for a reader); while jcr holds that "anchor", every further open of the same FIFO
 * through /proc/self/fd/N finds both a reader and a writer and returns at once, with exactly the
 * dumped access mode and status flags. The buffered bytes are written into the FIFO once, when its
 * anchor is made, so fds and processes sharing it before the dump share one buffer again. The anchor
 * is closed with jcr's other fds when the restore is done; the data stays while any end is open.
 */
public final class FifoRestore implements FileRestorer {

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    /** Access mode and status flags an open FIFO keeps (O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_LARGEFILE). */
    private static final int KEPT = 0x3 | 0x400 | 0x800 | 0x2000 | 0x4000 | 0x8000;

    private final Map<Integer, Integer> anchors = new HashMap<>();

    @Override
    public FdTypes type() {
        return FdTypes.FIFO;
    }

    @Override
    public int open(FileEntry file, Context ctx) {
        FifoEntry e = file.getFifo();
        FileEntry regf = ctx.file(e.getRegfId());
        if (regf == null || !regf.hasReg()) {
            throw new RestoreException(Kind.BAD_IMAGE, "FIFO " + file.getId() + " names no regular-file entry (regf_id " + e.getRegfId() + ")");
        }
        RegFileEntry reg = regf.getReg();
        Integer anchor = anchors.get(e.getPipeId());
        if (anchor == null) {
            anchor = anchor(reg.getName(), ctx.fifoData(e.getPipeId()), ctx.fifoSize(e.getPipeId()), ctx);
            anchors.put(e.getPipeId(), anchor);
        }
        return ctx.keep(Linux.open("/proc/self/fd/" + anchor, reg.getFlags() & KEPT, 0));
    }

    private static int anchor(String path, byte[] data, int size, Context ctx) {
        long[] ms = FileEntries.modeAndSize(java.nio.file.Path.of(path));
        if (ms == null) {
            throw new RestoreException(Kind.CONFLICT, "FIFO " + Quote.of(path) + " no longer exists");
        }
        if ((ms[0] & S_IFMT) != S_IFIFO) {
            throw new RestoreException(Kind.CONFLICT, Quote.of(path) + " is no longer a FIFO");
        }
        int fd = ctx.keep(Linux.open(path, Linux.O_RDWR | Linux.O_NONBLOCK, 0));
        if (size > 0) {
            Linux.fcntl(fd, Linux.F_SETPIPE_SZ, size);
        } else if (data.length > 65536) {
            Linux.fcntl(fd, Linux.F_SETPIPE_SZ, data.length);
        }
        if (data.length > 0) {
            try {
                Linux.write(fd, data);
            } catch (SyscallException e) {
                throw new RestoreException(Kind.CONFLICT, "FIFO " + Quote.of(path) + " cannot take its " + data.length
                        + " buffered bytes back (" + e.getMessage() + "): someone else filled it since the dump");
            }
        }
        return fd;
    }
}
