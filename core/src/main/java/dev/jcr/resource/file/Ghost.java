package dev.jcr.resource.file;

import java.util.List;

/**
 * A deleted file's content as the dump saved it (ghost-file-N.img, joined to its files.img entry
 * by remap-fpath.img): inode number at dump time (descriptions of one inode share one file again),
 * st_mode, owner, size, the stretches that hold data (everything between them is a hole, and stays
 * one), and the access and modification times (nanoseconds since the epoch; -1 when the image has none).
 */
record Ghost(long ino, int mode, int uid, int gid, long size, List<Chunk> chunks, long atimeNanos, long mtimeNanos) {

    Ghost {
        chunks = List.copyOf(chunks);
    }

    /** DATA at offset OFF of the file. */
    record Chunk(long off, byte[] data) {
    }

    boolean hasTimes() {
        return atimeNanos >= 0 && mtimeNanos >= 0;
    }
}
