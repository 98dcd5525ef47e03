package dev.jcr.image;

import dev.jcr.Quote;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A file name read from an image, made a {@link Path}. Only an absolute name without a NUL byte is
 * one: Path.of would throw on the NUL (an internal error), and the C library would silently cut
 * the name there, opening another file than the one dumped. Anything else is a bad image, named
 * with the image file and the field.
 */
public final class ImagePath {

    private ImagePath() {
    }

    /** NAME (field FIELD of IMAGE) as a path, or a {@link BadImageException} naming both. */
    public static Path of(String name, Path image, String field) {
        if (name.indexOf('\0') >= 0 || !name.startsWith("/")) {
            throw new BadImageException(image.toString(), -1, field + " " + Quote.of(name)
                    + (name.indexOf('\0') >= 0 ? " contains a NUL byte" : " is not an absolute path"));
        }
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new BadImageException(image.toString(), -1, field + " " + Quote.of(name) + " is not a path: " + e.getReason());
        }
    }
}
