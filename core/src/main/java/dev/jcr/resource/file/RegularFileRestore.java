package dev.jcr.resource.file;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.resource.FileRestorer;
import dev.jcr.resource.FileRestorer.Ghost;
import dev.jcr.resource.device.Terminals;
import dev.jcr.sys.Linux;

/**
 * Restore side of {@link RegularFileDriver} (and of directories, which files.img records the same
 * way): reopens the path with the dumped access mode and status flags (never O_CREAT or O_TRUNC:
 * a restore does not create or cut files), then seeks to the dumped position. A file deleted while
 * open is recreated from its saved content first ({@link GhostFiles}); a terminal (a --shell-job
 * dump) becomes jcr's own terminal ({@link Terminals}).
 */
public final class RegularFileRestore implements FileRestorer {

    /** Flags that describe an open file description rather than an action of open(2). */
    private static final int KEPT = 0x3 /* O_ACCMODE */ | 0x400 /* O_APPEND */ | 0x800 /* O_NONBLOCK */
            | 0x1000 /* O_DSYNC */ | 0x2000 /* O_ASYNC */ | 0x4000 /* O_DIRECT */ | 0x8000 /* O_LARGEFILE */
            | 0x10000 /* O_DIRECTORY */ | 0x20000 /* O_NOFOLLOW */ | 0x40000 /* O_NOATIME */ | 0x101000 /* O_SYNC */
            | 0x200000 /* O_PATH */;

    private static final int O_NOFOLLOW = 0x20000;

    @Override
    public FdTypes type() {
        return FdTypes.REG;
    }

    private final GhostFiles ghosts = new GhostFiles();

    @Override
    public int open(FileEntry file, Context ctx) {
        RegFileEntry reg = file.getReg();
        Ghost ghost = ctx.ghost(file.getId());
        int fd;
        if (Terminals.isTerminal(reg.getName())) {
            // only --shell-job dumps hold terminals (the plan refuses them otherwise): jcr's terminal instead
            return ctx.keep(Terminals.openOwn(reg.getFlags() & KEPT & ~O_NOFOLLOW));
        }
        if (ghost != null) {
            // through the recreated (and already unlinked) file's magic link: no O_NOFOLLOW there
            int anchor = ghosts.anchor(reg.getName(), ghost, ctx);
            fd = ctx.keep(Linux.open("/proc/self/fd/" + anchor, reg.getFlags() & KEPT & ~O_NOFOLLOW, 0));
        } else {
            fd = ctx.keep(Linux.open(reg.getName(), reg.getFlags() & KEPT, 0));
        }
        if (reg.getPos() != 0) {
            Linux.lseek(fd, reg.getPos());
        }
        return fd;
    }
}
