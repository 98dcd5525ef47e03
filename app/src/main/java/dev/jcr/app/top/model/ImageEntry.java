package dev.jcr.app.top.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * One image directory: where it is, its total size, when it was written and how many processes it holds
 * (empty when it cannot be read yet).
 */
public record ImageEntry(Path dir, long bytes, Instant modified, int files, OptionalInt processes) {

    public String name() {
        return dir.getFileName().toString();
    }
}
