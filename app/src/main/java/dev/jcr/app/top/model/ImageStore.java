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
import dev.jcr.JcrException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageChain;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.PstreeEntry;
import java.util.stream.Stream;

/**
 * The image directories jcr-top knows: every directory directly under the images roots that holds a
 * {@code pstree.img} (what makes a directory a dump), or an inventory and pagemaps but no pstree (a
 * pre-dump, the first links of an incremental chain). The default root is
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
    public List<StoredImage> list() {
        List<StoredImage> out = new ArrayList<>();
        for (Path root : roots) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ImageStore::isImageDir)) {
                for (Path dir : ds) {
                    out.add(describe(dir));
                }
            } catch (IOException e) {
                // a missing root holds no images
            }
        }
        out.sort(Comparator.comparing(StoredImage::modified).reversed().thenComparing(StoredImage::name));
        return out;
    }

    static boolean isImageDir(Path p) {
        return Files.isDirectory(p) && (Files.isRegularFile(p.resolve("pstree.img")) || isPreDump(p));
    }

    /** Inventory and pagemaps without pstree: what CRIU's and jcr's pre-dumps write. */
    static boolean isPreDump(Path p) {
        if (!Files.isRegularFile(p.resolve("inventory.img")) || Files.exists(p.resolve("pstree.img"))) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "pagemap-*.img")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** The parent links of DIR as a person reads them ("../ck1 (pre-dump)"), nearest first. */
    static List<String> parents(Path dir) {
        List<String> out = new ArrayList<>();
        for (Path p : PageChain.lineage(dir).stream().skip(1).toList()) {
            out.add(dir.relativize(p) + (isPreDump(p) ? " (pre-dump)" : ""));
        }
        return out;
    }

    public static StoredImage describe(Path dir) throws IOException {
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
        boolean pre = isPreDump(dir);
        Instant modified = Files.getLastModifiedTime(dir.resolve(pre ? "inventory.img" : "pstree.img")).toInstant();
        try {
            ImageDir images = ImageDir.open(dir);
            List<String> parents = parents(dir);
            if (pre) {
                return new StoredImage(dir, bytes, modified, files, OptionalInt.empty(), List.of(), "", true, parents);
            }
            List<StoredImage.ImagedProcess> tree = new ArrayList<>();
            for (PstreeEntry e : images.readAll(ImageKind.PSTREE, null, PstreeEntry.class)) {
                String comm = "?";
                if (images.has(ImageKind.CORE, e.getPid())) {
                    CoreEntry core = images.readSingle(ImageKind.CORE, e.getPid(), CoreEntry.class);
                    comm = core.hasTc() ? core.getTc().getComm() : "?";
                }
                tree.add(new StoredImage.ImagedProcess(e.getPid(), e.getPpid(), Math.max(1, e.getThreadsCount()), comm));
            }
            return new StoredImage(dir, bytes, modified, files, OptionalInt.of(tree.size()), tree, "", false, parents);
        } catch (JcrException e) {
            return new StoredImage(dir, bytes, modified, files, OptionalInt.empty(), List.of(), e.getMessage());
        }
    }
}
