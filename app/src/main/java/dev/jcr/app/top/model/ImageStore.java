package dev.jcr.app.top.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The image directories jcr-top knows: every directory directly under the images roots that holds a
 * {@code pstree.img} (what makes a directory a dump). The default root is
 * {@code $XDG_DATA_HOME/jcr/images} (~/.local/share/jcr/images); {@code --images DIR} adds one.
 */
public final class ImageStore {

    private final List<Path> roots;

    public ImageStore(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    public static Path defaultRoot() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jcr").resolve("images");
    }

    public List<Path> roots() {
        return roots;
    }

    /** Where new dumps go by default: the first root. */
    public Path primaryRoot() {
        return roots.get(0);
    }

    public int count() {
        int n = 0;
        for (Path root : roots) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ImageStore::isImageDir)) {
                for (Path ignored : ds) {
                    n++;
                }
            } catch (IOException e) {
                // a missing root holds no images
            }
        }
        return n;
    }

    /** Every image directory, newest first. */
    public List<ImageEntry> list() {
        List<ImageEntry> out = new ArrayList<>();
        for (Path root : roots) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ImageStore::isImageDir)) {
                for (Path dir : ds) {
                    out.add(describe(dir));
                }
            } catch (IOException e) {
                // a missing root holds no images
            }
        }
        out.sort(Comparator.comparing(ImageEntry::modified).reversed().thenComparing(ImageEntry::name));
        return out;
    }

    static boolean isImageDir(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve("pstree.img"));
    }

    public static ImageEntry describe(Path dir) throws IOException {
        long bytes = 0;
        int files = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(f)) {
                    bytes += Files.size(f);
                    files++;
                }
            }
        }
        Instant modified = Files.getLastModifiedTime(dir.resolve("pstree.img")).toInstant();
        // The process count needs the image library (pstree.img decoded); until it lands it is shown as unknown.
        return new ImageEntry(dir, bytes, modified, files, OptionalInt.empty());
    }
}
