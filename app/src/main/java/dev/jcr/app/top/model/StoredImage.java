package dev.jcr.app.top.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * One image directory: where it is, its total size, when it was written, how many processes its
 * pstree.img holds, and those processes (read with core's image library). PROBLEM is why the images
 * could not be read ("" when they could); the counts are then empty. An incremental dump names its
 * chain of parents (nearest first, as its {@code parent} links lead); a pre-dump holds memory only.
 */
public record StoredImage(Path dir, long bytes, Instant modified, int files, OptionalInt processes,
                          List<ImagedProcess> tree, String problem, boolean preDump, List<String> parents) {

    public StoredImage(Path dir, long bytes, Instant modified, int files, OptionalInt processes,
                       List<ImagedProcess> tree, String problem) {
        this(dir, bytes, modified, files, processes, tree, problem, false, List.of());
    }

    /** One process of the dump as pstree.img and core-PID.img record it. */
    public record ImagedProcess(int pid, int ppid, int threads, String comm) {
    }

    public String name() {
        return dir.getFileName().toString();
    }
}
