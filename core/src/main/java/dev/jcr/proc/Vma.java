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
 */
public record Vma(long start, long end, String perms, long offset, int devMajor, int devMinor, long inode,
        String path, boolean deleted, VmaKind kind) {

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
