package dev.jcr.app.top.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The dump dialog's directory: its default and the checks made before anything is frozen. */
public final class DumpTarget {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    private DumpTarget() {
    }

    /** {@code ROOT/<comm>-<pid>-<yyyyMMdd-HHmmss>}, the comm made safe for a file name. */
    public static Path defaultFor(Path root, String comm, long pid, Instant now) {
        String safe = comm.replaceAll("[^A-Za-z0-9._-]", "_");
        return root.resolve(safe + "-" + pid + "-" + STAMP.format(now));
    }

    /**
     * Why TEXT cannot be the target directory, or empty when it can: it must be absolute and must not
     * exist; its nearest existing ancestor must be a writable directory (missing parents are created).
     */
    public static Optional<String> problem(String text) {
        if (text.isBlank()) {
            return Optional.of("give a directory for the images");
        }
        Path p;
        try {
            p = Path.of(text.strip());
        } catch (RuntimeException e) {
            return Optional.of("not a valid path: " + text.strip());
        }
        if (!p.isAbsolute()) {
            return Optional.of(p + " is relative: give an absolute directory");
        }
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // the dump creates the directory itself and renames it into place when complete
            return Optional.of(p + " already exists: images are never written over, choose a new directory");
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            return Optional.of((existing == null ? p : existing) + " is not a directory, cannot create " + p);
        }
        if (!Files.isWritable(existing)) {
            return Optional.of(existing + " is not writable, cannot create " + p);
        }
        return Optional.empty();
    }
}
