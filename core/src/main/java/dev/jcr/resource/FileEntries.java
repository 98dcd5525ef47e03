package dev.jcr.resource;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FownEntry;
import dev.jcr.image.proto.RegFileEntry;
import dev.jcr.proc.OpenFd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Building blocks of files.img entries that several drivers share (regular files, devices, FIFOs, maps). */
public final class FileEntries {

    /** O_CLOEXEC is a property of the fd (fdinfo's FD_CLOEXEC), not of the open file: CRIU keeps it out of file flags. */
    public static final int O_CLOEXEC = OpenFd.O_CLOEXEC;

    private FileEntries() {
    }

    /** No F_SETOWN owner: what almost every file has. */
    public static FownEntry noOwner() {
        return FownEntry.newBuilder().setUid(0).setEuid(0).setSignum(0).setPidType(0).setPid(0).build();
    }

    /** The open-file flags of FD as files.img stores them. */
    public static int fileFlags(OpenFd fd) {
        return fd.flags() & ~O_CLOEXEC;
    }

    /**
     * A REG entry: NAME opened with FLAGS at POS. MODE is st_mode; SIZE is recorded (to detect a
     * changed file at restore) only when non-negative.
     */
    public static FileEntry reg(int id, String name, int flags, long pos, int mode, long size) {
        RegFileEntry.Builder r = RegFileEntry.newBuilder().setId(id).setFlags(flags).setPos(pos)
                .setFown(noOwner()).setName(name).setMode(mode);
        if (size >= 0) {
            r.setSize(size);
        }
        return FileEntry.newBuilder().setType(FdTypes.REG).setId(id).setReg(r).build();
    }

    /** st_mode and st_size of what P leads to (following links, also /proc/PID/fd/N magic links); null if gone. */
    public static long[] modeAndSize(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size");
            return new long[] {((Number) a.get("mode")).longValue(), ((Number) a.get("size")).longValue()};
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** st_mode of P, or 0 when it cannot be read. */
    public static int mode(Path p) {
        long[] ms = modeAndSize(p);
        return ms == null ? 0 : (int) ms[0];
    }
}
