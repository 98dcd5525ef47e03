package dev.jcr.resource.pipe;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.PipeEntry;
import dev.jcr.resource.FileRestorer;
import dev.jcr.sys.Linux;

/**
 * Restore side of {@link PipeDriver}: one jcr pipe per dumped pipe (pipe_id), refilled with the
 * bytes that were in flight when it is first made; each dumped end is that pipe's read or write
 * end, with its status flags (O_NONBLOCK). A second file id for the same end gets its own
 * description by reopening it through /proc, as the original had.
 */
public final class PipeRestore implements FileRestorer {

    private static final int F_SETFL = 4;
    private static final int STATUS_FLAGS = 0x400 | 0x800 | 0x2000 | 0x4000;

    private final java.util.Map<Long, Integer> endsGiven = new java.util.HashMap<>();

    @Override
    public FdTypes type() {
        return FdTypes.PIPE;
    }

    @Override
    public int open(FileEntry file, Context ctx) {
        PipeEntry e = file.getPipe();
        boolean fresh = !endsGiven.containsKey((long) e.getPipeId() * 2) && !endsGiven.containsKey((long) e.getPipeId() * 2 + 1);
        int[] p = ctx.pipe(e.getPipeId());
        if (fresh) {
            fill(p, ctx.pipeData(e.getPipeId()), ctx.pipeSize(e.getPipeId()));
        }
        boolean write = (e.getFlags() & 3) == Linux.O_WRONLY;
        long key = (long) e.getPipeId() * 2 + (write ? 1 : 0);
        int fd;
        if (endsGiven.containsKey(key)) {
            fd = ctx.keep(Linux.open("/proc/self/fd/" + p[write ? 1 : 0], write ? Linux.O_WRONLY : Linux.O_RDONLY, 0));
        } else {
            fd = p[write ? 1 : 0];
        }
        endsGiven.merge(key, 1, Integer::sum);
        Linux.fcntl(fd, F_SETFL, e.getFlags() & STATUS_FLAGS);
        return fd;
    }

    private static void fill(int[] p, byte[] data, int size) {
        if (size > 0) {
            Linux.fcntl(p[1], Linux.F_SETPIPE_SZ, size);
        } else if (data.length > 65536) {
            Linux.fcntl(p[1], Linux.F_SETPIPE_SZ, data.length);
        }
        if (data.length == 0) {
            return;
        }
        Linux.write(p[1], data);
    }
}
