package dev.jcr.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the real CRIU 4.2 test vectors, which live outside the repository: {@code
 * shared/vectors/criu-4.2} next to the checkout (found by walking up from the working directory),
 * or wherever the system property / environment variable {@code JCR_VECTORS} points. Tests that
 * need them are skipped with a clear message when they are absent.
 */
public final class Vectors {

    private static final String RELATIVE = "shared/vectors/criu-4.2";

    private Vectors() {
    }

    /** The vectors root, or skips the calling test. */
    public static Path root() {
        Path p = find();
        assumeTrue(p != null, "CRIU 4.2 test vectors not found: expected ../" + RELATIVE
                + " beside the repository checkout, or set JCR_VECTORS");
        return p;
    }

    /** The vectors root, or null when absent. */
    public static Path find() {
        String explicit = System.getProperty("JCR_VECTORS", System.getenv("JCR_VECTORS"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isDirectory(p) ? p : null;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("..").resolve(RELATIVE).normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The image directories of the vectors (counter, pipetree, ...), sorted. */
    public static List<Path> dumpDirs() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(d -> Files.exists(d.resolve("inventory.img"))).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every protobuf image of every dump (pages files excluded), sorted. */
    public static List<Path> images() {
        return dumpDirs().stream().flatMap(d -> {
            try (Stream<Path> s = Files.list(d)) {
                return s.filter(f -> !f.getFileName().toString().startsWith("pages-")).sorted().toList().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
