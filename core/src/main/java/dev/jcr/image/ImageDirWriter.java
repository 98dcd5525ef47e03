package dev.jcr.image;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes an image directory atomically: every file goes into a temporary sibling directory, which
 * {@link #commit()} renames to the target only when the whole dump is written. A dump that fails
 * part way calls {@link #abort()} (or just {@link #close()}) and leaves no directory behind, so a
 * directory with the target name is always complete.
 */
public final class ImageDirWriter implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<FileChannel> toSync = new ArrayList<>();
    private boolean finished;

    private ImageDirWriter(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Starts writing the image directory {@code target}, which must not exist yet (its parent must).
     */
    public static ImageDirWriter create(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        String what = "create image directory";
        if (parent == null) {
            throw new ImageIoException("cannot " + what + " " + target + ": it is the root directory", null);
        }
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw ImageIoException.of(target, what, new FileAlreadyExistsException(abs.toString()));
        }
        if (!Files.isDirectory(parent)) {
            throw new ImageIoException("cannot " + what + " " + target + ": " + parent
                    + (Files.exists(parent) ? " is not a directory" : " does not exist"), null);
        }
        // every error names TARGET, the directory the user asked for, never the temporary sibling
        Path temp = parent.resolve("." + abs.getFileName() + ".jcr-tmp-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(temp);
        } catch (IOException e) {
            throw new ImageIoException("cannot " + what + " " + target + ": " + ImageIoException.why(temp, e), e);
        }
        return new ImageDirWriter(abs, temp);
    }

    /** The directory the files go to until {@link #commit()}. */
    public Path tempDir() {
        return temp;
    }

    /** The directory that exists after {@link #commit()}. */
    public Path target() {
        return target;
    }

    /** Writes a one-entry image of {@code kind} (core, mm, ids, fs, stats ...). */
    public void writeSingle(ImageKind kind, Object id, Message entry) {
        try (ImageWriter w = open(kind, id)) {
            w.write(entry);
        }
    }

    /** Writes an image holding {@code entries} in order (pstree, fdinfo, files ...). */
    public void writeAll(ImageKind kind, Object id, Iterable<? extends Message> entries) {
        try (ImageWriter w = open(kind, id)) {
            for (Message m : entries) {
                w.write(m);
            }
        }
    }

    /**
     * Opens an image of {@code kind} for entries written one by one (pipes-data with blobs, big
     * arrays). {@code id} fills the file name's {@code %s}; null for kinds with a fixed name.
     * Close it when done; {@link #commit()} closes what is still open.
     */
    public ImageWriter open(ImageKind kind, Object id) {
        String fileName = id == null ? kind.fileName() : kind.fileName(id);
        ImageWriter w = ImageWriter.start(kind, shown(fileName), newFile(fileName));
        open.add(w);
        return w;
    }

    /**
     * Opens the pagemap of process {@code pid} together with {@code pages-<pagesId>.img}; pages are
     * streamed to disk as they are added.
     */
    public PagesWriter openPages(Object pid, int pagesId) {
        String pagemapName = ImageKind.PAGEMAP.fileName(pid);
        String pagesName = ImageKind.PAGES.fileName(pagesId);
        OutputStream pagemap = newFile(pagemapName);
        FileChannel pages = newChannel(pagesName);
        PagesWriter w = new PagesWriter(shown(pagemapName), pagemap, shown(pagesName), pages, pagesId);
        open.add(w);
        return w;
    }

    /**
     * Links this image directory to the one of the previous (pre-)dump, as CRIU does with a
     * {@code parent} symlink: pages marked PE_PARENT are read from there. A relative link keeps a
     * pair of directories movable together.
     */
    public void linkParent(Path parentDir) {
        Path link = temp.resolve("parent");
        Path abs = parentDir.toAbsolutePath().normalize();
        // relative to the link's own directory; the temp dir sits beside the target, so it resolves the same
        Path rel = target.relativize(abs);
        try {
            Files.createSymbolicLink(link, rel);
        } catch (IOException e) {
            throw ImageIoException.of(shown("parent"), "create symlink", e);
        }
    }

    /** Creates a raw file in the directory (e.g. a tmpfs archive); the caller closes the stream. */
    public OutputStream newFile(String fileName) {
        return Channels.newOutputStream(newChannel(fileName));
    }

    private FileChannel newChannel(String fileName) {
        if (finished) {
            throw new IllegalStateException("image directory " + target + " is already committed or aborted");
        }
        if (fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        Path file = temp.resolve(fileName);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            toSync.add(ch);
            return ch;
        } catch (IOException e) {
            throw ImageIoException.of(shown(fileName), "create", e);
        }
    }

    /**
     * How errors name FILE_NAME: as the file it becomes in the target directory, so a message names the
     * directory the user asked for, not the temporary one it is written in.
     */
    public String shown(String fileName) {
        return target.resolve(fileName).toString();
    }

    /** Closes every open image, syncs all files to disk and renames the directory into place. */
    public Path commit() {
        if (finished) {
            throw new IllegalStateException("image directory " + target + " is already committed or aborted");
        }
        try {
            for (AutoCloseable c : open) {
                c.close();
            }
            for (FileChannel ch : toSync) {
                if (ch.isOpen()) {
                    ch.force(true);
                    ch.close();
                } else {
                    // closed by its writer: sync through a fresh handle below
                }
            }
            syncFilesAndDir(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
            return target;
        } catch (Exception e) {
            abort();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw ImageIoException.of(target, "commit image directory", e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Throws everything written away; the target directory is never created. Idempotent. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // being thrown away anyway
            }
        }
        for (FileChannel ch : toSync) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // being thrown away anyway
            }
        }
        deleteTree(temp);
    }

    /** Aborts unless committed: use in try-with-resources so a failing dump leaves nothing behind. */
    @Override
    public void close() {
        abort();
    }

    private static void syncFilesAndDir(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory handle; the rename is still atomic
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a leftover temp dir has a name no reader mistakes for an image dir
        }
    }
}
