package dev.jcr.resource.file;

/**
 * A deleted file's content as the dump saved it (ghost-file-N.img, joined to its files.img entry
 * by remap-fpath.img): inode number at dump time (descriptions of one inode share one file again),
 * st_mode, owner, and the bytes.
 */
record Ghost(long ino, int mode, int uid, int gid, byte[] content) {
}
