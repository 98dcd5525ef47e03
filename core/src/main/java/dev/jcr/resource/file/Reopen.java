package dev.jcr.resource.file;

import dev.jcr.image.ImagePath;
import dev.jcr.Quote;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Restore of the kinds recorded as a REG entry and reopened by their path (regular files,
 * directories, stateless devices): the path with the dumped access mode and status flags (never
 * O_CREAT or O_TRUNC: a restore does not create or cut files), then a seek to the dumped position.
 * Paths come from images and are only ever given to open(2) with the caller's rights.
 */
public final class Reopen {

    /** Flags that describe an open file description rather than an action of open(2). */
    public static final int KEPT = 0x3 /* O_ACCMODE */ | 0x400 /* O_APPEND */ | 0x800 /* O_NONBLOCK */
            | 0x1000 /* O_DSYNC */ | 0x2000 /* O_ASYNC */ | 0x4000 /* O_DIRECT */ | 0x8000 /* O_LARGEFILE */
            | 0x10000 /* O_DIRECTORY */ | 0x20000 /* O_NOFOLLOW */ | 0x40000 /* O_NOATIME */ | 0x101000 /* O_SYNC */
            | 0x200000 /* O_PATH */;

    public static final int O_NOFOLLOW = 0x20000;

    private Reopen() {
    }

    /** The REG entry of FILE; a REG file without one is a bad files.img. */
    public static RegFileEntry reg(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasReg()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a REG without its reg entry");
        }
        return file.getReg();
    }

    /** FILE's name as a path; a NUL byte or a relative name is a bad files.img naming the file and fd. */
    public static Path path(FileEntry file, FdUse use, FileImages images) {
        return ImagePath.of(reg(file, use, images).getName(), images.imageFile(ImageKind.FILES, null),
                "reg.name of file " + file.getId() + " (" + use + ")");
    }

    /** The path must still exist (CONFLICT naming the fd and the path otherwise). */
    public static void checkExists(FileEntry file, FdUse use, FileImages images) {
        if (!Files.exists(path(file, use, images))) {
            throw new RestoreException(Kind.CONFLICT, use + ": " + Quote.of(file.getReg().getName()) + " no longer exists");
        }
    }

    /** Opens FILE's path with its kept flags and seeks to its position. */
    public static int open(FileEntry file, RestoreContext ctx) {
        RegFileEntry reg = file.getReg();
        int fd = ctx.keep(Linux.open(VirtualFs.onHost(reg.getName(), ctx), reg.getFlags() & KEPT, 0));
        seek(fd, reg);
        return fd;
    }

    /** Seeks FD to the dumped position of REG. */
    static void seek(int fd, RegFileEntry reg) {
        if (reg.getPos() != 0) {
            Linux.lseek(fd, reg.getPos());
        }
    }

    /** st_mode's file type of a REG entry (0 when the dump did not record it). */
    public static int type(FileEntry file) {
        return file.hasReg() ? file.getReg().getMode() & 0170000 : 0;
    }
}
