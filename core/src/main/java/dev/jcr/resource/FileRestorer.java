package dev.jcr.resource;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;

/**
 * The restore side of a file driver: recreates one file description of its kind, in jcr, from its
 * files.img entry. The restore engine then duplicates jcr's fd into every process that had it, so
 * the description is shared exactly as before. Paths come from images and are only ever given to
 * open(2) with the caller's rights.
 */
public interface FileRestorer {

    /** What the engine offers a restorer. */
    interface Context {
        /** Registers FD so that it is closed when the restore is done; returns it. */
        int keep(int fd);

        /** jcr's [read end, write end] of pipe PIPE_ID (created on first use). */
        int[] pipe(int pipeId);

        /** The bytes that were queued in pipe PIPE_ID. */
        byte[] pipeData(int pipeId);

        /** The pipe's buffer size when it was not the default, else 0. */
        int pipeSize(int pipeId);

        /** The bytes that were queued in FIFO PIPE_ID (fifo-data.img). */
        byte[] fifoData(int pipeId);

        /** The FIFO's buffer size when it was recorded, else 0. */
        int fifoSize(int pipeId);

        /** The files.img entry ID (e.g. the regular-file half of a FIFO), or null. */
        dev.jcr.image.proto.FileEntry file(int id);

        /** The saved content of file ID when it was deleted while open (a ghost file), or null. */
        Ghost ghost(int id);
    }

    /**
     * A deleted file's content as the dump saved it (ghost-file-N.img, joined to its files.img entry
     * by remap-fpath.img): inode number at dump time (descriptions of one inode share one file again),
     * st_mode, owner, and the bytes.
     */
    record Ghost(long ino, int mode, int uid, int gid, byte[] content) {
    }

    /** The fd type (files.img entry type) this restorer handles. */
    FdTypes type();

    /** Opens the description FILE in jcr and returns jcr's fd (registered with {@link Context#keep}). */
    int open(FileEntry file, Context ctx);
}
