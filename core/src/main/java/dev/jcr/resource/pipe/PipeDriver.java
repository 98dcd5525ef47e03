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
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.image.ImageKind;
import dev.jcr.sys.Linux;
import java.util.HashMap;
import java.util.Map;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Anonymous pipes: both ends are recreated and the buffered data is saved and put back. Restore: one
 * jcr pipe per dumped pipe (pipe_id), refilled with the bytes that were in flight when it is first
 * made; each dumped end is that pipe's read or write end, with its status flags (O_NONBLOCK). A
 * second file id for the same end gets its own description by reopening it through /proc, as the
 * original had.
 */
public final class PipeDriver implements FileDriver {

    private static final int F_SETFL = 4;
    private static final int STATUS_FLAGS = 0x400 | 0x800 | 0x2000 | 0x4000;

    /** jcr's pipes of one restore, by pipe_id, and how many descriptions of each end were handed out. */
    private record Pipes(Map<Integer, int[]> byId, Map<Long, Integer> endsGiven) {
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.PIPE;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.PIPE;
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
            ctx.addEntry(ImageKind.PIPES_DATA, null, c.entry((int) inode), c.data());
        }
    }

    /** The entry must carry its pipe, and the buffers image must be sound. */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasPipe()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a PIPE without its pipe entry");
        }
        PipeBuffers.of(ImageKind.PIPES_DATA, images);
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        PipeEntry e = file.getPipe();
        Pipes pipes = ctx.state(Pipes.class, () -> new Pipes(new HashMap<>(), new HashMap<>()));
        int[] p = pipes.byId().get(e.getPipeId());
        if (p == null) {
            p = Linux.pipe();
            ctx.keep(p[0]);
            ctx.keep(p[1]);
            pipes.byId().put(e.getPipeId(), p);
            PipeBuffers b = PipeBuffers.of(ImageKind.PIPES_DATA, ctx);
            PipeBuffers.refill(p[1], b.data(e.getPipeId()), b.size(e.getPipeId()));
        }
        boolean write = (e.getFlags() & 3) == Linux.O_WRONLY;
        long key = (long) e.getPipeId() * 2 + (write ? 1 : 0);
        int fd;
        if (pipes.endsGiven().containsKey(key)) {
            fd = ctx.keep(Linux.open("/proc/self/fd/" + p[write ? 1 : 0], write ? Linux.O_WRONLY : Linux.O_RDONLY, 0));
        } else {
            fd = p[write ? 1 : 0];
        }
        pipes.endsGiven().merge(key, 1, Integer::sum);
        Linux.fcntl(fd, F_SETFL, e.getFlags() & STATUS_FLAGS);
        return fd;
    }
}
