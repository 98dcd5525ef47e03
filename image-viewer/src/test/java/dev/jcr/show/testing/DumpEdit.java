package dev.jcr.show.testing;

import com.google.protobuf.Message;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.ProcessMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Edits copies of real image directories with jcr's image library, to make diff inputs whose
 * differences are known exactly: a page's bytes, a register, an fd's position, a mapping added.
 */
public final class DumpEdit {

    private DumpEdit() {
    }

    /** Copies image directory {@code from} to {@code to} (created), files writable. */
    public static Path copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> s = Files.list(from)) {
                for (Path f : s.toList()) {
                    Path t = to.resolve(f.getFileName().toString());
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                    t.toFile().setWritable(true);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites the single entry of an image through {@code edit}. */
    public static <T extends Message> void single(Path dir, ImageKind kind, Object id, Class<T> type, UnaryOperator<T> edit) {
        T old = ImageDir.open(dir).readSingle(kind, id, type);
        write(dir, kind, id, List.of(edit.apply(old)));
    }

    /** Rewrites all entries of an array image through {@code edit} (which may add or drop entries). */
    public static <T extends Message> void all(Path dir, ImageKind kind, Object id, Class<T> type, UnaryOperator<List<T>> edit) {
        List<T> old = new ArrayList<>(ImageDir.open(dir).readAll(kind, id, type));
        write(dir, kind, id, edit.apply(old));
    }

    public static void write(Path dir, ImageKind kind, Object id, List<? extends Message> entries) {
        String name = id == null ? kind.fileName() : kind.fileName(id);
        Path tmp = dir.resolve(name + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ImageWriter w = ImageWriter.start(kind, name, out)) {
            for (Message m : entries) {
                w.write(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites bytes of the dumped page at {@code vaddr} (+ {@code offset}) of process {@code pid}. */
    public static void poke(Path dir, int pid, long vaddr, int offset, byte[] bytes) {
        long pos;
        Path pages;
        try (ProcessMemory pm = ProcessMemory.open(dir, pid)) {
            ProcessMemory.Run r = pm.runAt(vaddr).orElseThrow(() -> new IllegalArgumentException("no page at " + Long.toHexString(vaddr)));
            pos = r.pagesOffset() + (vaddr - r.vaddr()) + offset;
            pages = pm.pagesFile();
        }
        try (FileChannel ch = FileChannel.open(pages, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The present runs of a process, in address order. */
    public static List<ProcessMemory.Run> presentRuns(Path dir, int pid) {
        try (ProcessMemory pm = ProcessMemory.open(dir, pid)) {
            return pm.runs().stream().filter(ProcessMemory.Run::present).toList();
        }
    }
}
