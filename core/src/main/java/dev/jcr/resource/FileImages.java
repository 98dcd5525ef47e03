package dev.jcr.resource;

import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a file driver sees of the images being restored, at plan time and during the restore alike:
 * files.img by id, its own images by {@link ImageKind}, which process holds which description at
 * which fd number, and a place for what it derives from its images once per restore.
 */
public interface FileImages {

    /** The files.img entry ID, or null when there is none. */
    FileEntry file(int id);

    /** Every entry of image KIND (ID null for fixed names); an absent image reads as none. Read once per restore. */
    List<ImageEntry> read(ImageKind kind, Object id);

    /** The path of image KIND/ID, for error messages ({@link #bad}). */
    Path imageFile(ImageKind kind, Object id);

    /** Every fd that holds description FILE_ID, processes in restore order (parents first). */
    List<FdUse> holders(int fileId);

    /** The pids of the processes being restored (they keep their pids: /proc/PID of one is the same path again). */
    default java.util.Set<Integer> pids() {
        return java.util.Set.of();
    }

    /** Process PID's fd table as dumped: fd number to files.img id. */
    Map<Integer, Integer> fdTable(int pid);

    /**
     * The value for KEY, made by MAKE the first time it is asked for in this restore (at plan time or
     * later): how a driver parses and validates its images once (e.g. pipe buffers by pipe id) and
     * then looks them up when it recreates each description.
     */
    <T> T derived(Object key, Supplier<T> make);

    /** True when the restore was given OPTION (e.g. {@link Options#TCP_CLOSE}). */
    default boolean option(String option) {
        return false;
    }

    /** A corrupt image KIND/ID: PROBLEM names the entry and field (restore exits 7). */
    default BadImageException bad(ImageKind kind, Object id, String problem) {
        return new BadImageException(imageFile(kind, id).toString(), -1, problem);
    }
}
