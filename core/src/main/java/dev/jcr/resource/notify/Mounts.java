package dev.jcr.resource.notify;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.FhEntry;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Watched objects found again by the file handle the kernel encoded for them at dump time (fdinfo
 * f_handle), not by a path that may have been renamed, replaced or never known: open_by_handle_at
 * needs an fd on the same filesystem, which is a mount of the watched device (s_dev) in jcr's mount
 * namespace, its whole filesystem preferred. One open directory per device, made on first use.
 */
final class Mounts implements AutoCloseable {

    private final Map<Integer, String> pointByDev;
    private final Map<Integer, Integer> fdByDev = new HashMap<>();
    /** Registers an opened mount fd: the restore context's keep (closed with the restore), or nothing. */
    private final IntUnaryOperator keep;
    private final boolean closeOwn;

    private Mounts(Map<Integer, String> pointByDev, IntUnaryOperator keep, boolean closeOwn) {
        this.pointByDev = pointByDev;
        this.keep = keep;
        this.closeOwn = closeOwn;
    }

    /** Mounts whose fds the restore keeps (and closes at its end). */
    static Mounts kept(IntUnaryOperator keep) {
        return new Mounts(read(), keep, false);
    }

    /** Mounts for one plan-time check, closed by {@link #close}. */
    static Mounts temporary() {
        return new Mounts(read(), fd -> fd, true);
    }

    /** Kernel dev_t (major << 20 | minor) to a mount point, the mounts of a filesystem's root first. */
    private static Map<Integer, String> read() {
        Map<Integer, String> out = new LinkedHashMap<>();
        Map<Integer, String> partial = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS … - FSTYPE SOURCE SUPER
                String[] f = line.split(" ");
                if (f.length < 5) {
                    continue;
                }
                String[] mm = f[2].split(":");
                int dev = Integer.parseInt(mm[0]) << 20 | Integer.parseInt(mm[1]);
                (f[3].equals("/") ? out : partial).putIfAbsent(dev, unescape(f[4]));
            }
        } catch (IOException | RuntimeException e) {
            throw new RestoreException(Kind.IO, "cannot read /proc/self/mountinfo: " + e.getMessage());
        }
        partial.forEach(out::putIfAbsent);
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() + 0 && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * An fd (with FLAGS, O_PATH for a watch) of the object handle FH names on filesystem SDEV;
     * WHAT names it for the error when it is gone (CONFLICT) or its filesystem is not mounted.
     */
    int open(int sdev, FhEntry fh, int flags, String what) {
        byte[] handle = handleBytes(fh);
        try {
            return Linux.openByHandle(mountFd(sdev, what), fh.getType(), handle, flags);
        } catch (SyscallException e) {
            String why = e.errno() == Errno.ESTALE || e.errno() == Errno.ENOENT ? "no longer exists"
                    : "cannot be opened by its file handle (" + e.getMessage() + ")";
            throw new RestoreException(e.errno() == Errno.EPERM ? Kind.PERMISSION : Kind.CONFLICT, what + " " + why);
        }
    }

    /** The handle's bytes, packed in CRIU's fh_entry as little-endian u64s. */
    static byte[] handleBytes(FhEntry fh) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(fh.getHandleCount() * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        fh.getHandleList().forEach(b::putLong);
        return java.util.Arrays.copyOf(b.array(), fh.getBytes());
    }

    /** CRIU's fh_entry for handle bytes HANDLE of TYPE: the bytes as little-endian u64s, zero-padded. */
    static FhEntry entry(int type, byte[] handle, String path) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((handle.length + 7) / 8 * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(handle).rewind();
        FhEntry.Builder e = FhEntry.newBuilder().setBytes(handle.length).setType(type);
        while (b.hasRemaining()) {
            e.addHandle(b.getLong());
        }
        if (path != null) {
            e.setPath(path);
        }
        return e.build();
    }

    private int mountFd(int sdev, String what) {
        Integer fd = fdByDev.get(sdev);
        if (fd == null) {
            String point = pointByDev.get(sdev);
            if (point == null) {
                throw new RestoreException(Kind.CONFLICT, what + " is on device " + (sdev >>> 20) + ":" + (sdev & 0xfffff)
                        + ", which is not mounted here");
            }
            fd = keep.applyAsInt(Linux.open(point, Linux.O_RDONLY | Linux.O_DIRECTORY, 0));
            fdByDev.put(sdev, fd);
        }
        return fd;
    }

    @Override
    public void close() {
        if (closeOwn) {
            fdByDev.values().forEach(Linux::close);
        }
        fdByDev.clear();
    }
}
