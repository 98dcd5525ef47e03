package dev.jcr.image;

import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Read access to a complete image directory, by kind and id, through {@link ImageKind}. */
public final class ImageDir {

    private final Path path;

    private ImageDir(Path path) {
        this.path = path;
    }

    /** Opens an existing image directory; it must hold an {@code inventory.img}. */
    public static ImageDir open(Path path) {
        if (!Files.isDirectory(path)) {
            throw ImageIoException.of(path, "open image directory", Files.exists(path)
                    ? new java.nio.file.NotDirectoryException(path.toString()) : new java.nio.file.NoSuchFileException(path.toString()));
        }
        if (!Files.exists(path.resolve(ImageKind.INVENTORY.fileName()))) {
            throw new BadImageException(path.toString(), -1, "not an image directory: no inventory.img");
        }
        return new ImageDir(path);
    }

    public Path path() {
        return path;
    }

    /** Path of the image of {@code kind} for {@code id} (null for fixed names), whether or not it exists. */
    public Path file(ImageKind kind, Object id) {
        return path.resolve(id == null ? kind.fileName() : kind.fileName(id));
    }

    /** Whether the image exists (CRIU does not write empty images: a missing file means "none"). */
    public boolean has(ImageKind kind, Object id) {
        return Files.exists(file(kind, id));
    }

    /** All entries of an image; an absent image reads as no entries. */
    public List<ImageEntry> read(ImageKind kind, Object id) {
        Path f = file(kind, id);
        if (!Files.exists(f)) {
            return List.of();
        }
        try (ImageReader r = ImageReader.open(f)) {
            if (r.kind() != kind) {
                throw new BadImageException(f.toString(), 0, "is a " + r.kind() + " image, expected " + kind);
            }
            return r.readAll();
        }
    }

    /** The messages of an image (entries of one type), e.g. every fdinfo of a files id. */
    public <T extends Message> List<T> readAll(ImageKind kind, Object id, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ImageEntry e : read(kind, id)) {
            out.add(e.as(type));
        }
        return out;
    }

    /** The one entry of a single-entry image; a missing or empty image is a {@link BadImageException}. */
    public <T extends Message> T readSingle(ImageKind kind, Object id, Class<T> type) {
        Path f = file(kind, id);
        if (!Files.exists(f)) {
            throw new BadImageException(f.toString(), -1, "missing (needed for " + kind + ")");
        }
        List<ImageEntry> all = read(kind, id);
        if (all.isEmpty()) {
            throw new BadImageException(f.toString(), -1, "holds no entry");
        }
        return all.get(0).as(type);
    }

    /** The dumped memory of process {@code pid}; close it after use. */
    public ProcessMemory memory(int pid) {
        return ProcessMemory.open(path, pid);
    }

    /** The files of the directory, sorted by name. */
    public List<Path> files() {
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw ImageIoException.of(path, "list", e);
        }
    }
}
