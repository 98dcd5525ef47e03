package dev.jcr.proc;

/**
 * One line of /proc/PID/maps: a virtual memory area.
 *
 * @param start  first address
 * @param end    first address after the area
 * @param perms  the four permission letters, e.g. "r-xp" (p private, s shared)
 * @param offset offset in the backing file
 * @param devMajor major device number of the backing file
 * @param devMinor minor device number of the backing file
 * @param inode  inode of the backing file (0 for anonymous memory)
 * @param path   the path column without the " (deleted)" suffix; empty for anonymous memory
 * @param deleted true if the kernel marked the backing file " (deleted)"
 * @param kind   what backs the area
 * @param fileSize size of a deleted backing file (what a dump would have to save), -1 when not known
 *               or not a deleted file
 */
public record Vma(long start, long end, String perms, long offset, int devMajor, int devMinor, long inode,
        String path, boolean deleted, VmaKind kind, long fileSize) {

    /** An area as /proc/PID/maps describes it (the size of a deleted file is not in maps). */
    public Vma(long start, long end, String perms, long offset, int devMajor, int devMinor, long inode,
            String path, boolean deleted, VmaKind kind) {
        this(start, end, perms, offset, devMajor, devMinor, inode, path, deleted, kind, -1);
    }

    public Vma withFileSize(long size) {
        return new Vma(start, end, perms, offset, devMajor, devMinor, inode, path, deleted, kind, size);
    }

    public long size() {
        return end - start;
    }

    public boolean readable() {
        return perms.charAt(0) == 'r';
    }

    public boolean writable() {
        return perms.charAt(1) == 'w';
    }

    public boolean executable() {
        return perms.charAt(2) == 'x';
    }

    public boolean shared() {
        return perms.charAt(3) == 's';
    }

    /** e.g. "7f12a000-7f12c000". */
    public String range() {
        return Long.toHexString(start) + "-" + Long.toHexString(end);
    }
}
