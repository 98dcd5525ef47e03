package dev.jcr.show.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.Vectors;
import dev.jcr.show.testing.DumpEdit;
import dev.jcr.show.testing.Show;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to summary, x and diff: a missing directory, a directory that is not a dump, and
 * dumps with truncated or bit-flipped images. Every case ends with one line on stderr and exit code
 * 7 (bad image) or 8 (I/O), or a normal answer when the damage happens to be harmless; never an
 * internal error or a stack trace.
 */
class BadInputTest {

    @TempDir
    Path tmp;

    @Test
    void missingDirectoryIsAnIoErrorOnOneLine() {
        for (String[] args : List.of(new String[] {"summary", tmp.resolve("nope").toString()},
                new String[] {"x", tmp.resolve("nope").toString(), "ps"},
                new String[] {"diff", tmp.resolve("nope").toString(), tmp.toString()})) {
            Show s = Show.run(args);
            assertEquals(8, s.code(), s.err());
            assertEquals(1, s.err().lines().count(), s.err());
            assertTrue(s.err().contains("no such file or directory"), s.err());
        }
    }

    @Test
    void directoryWithoutInventoryIsNotAnImageDirectory() {
        Show s = Show.run("summary", tmp.toString());
        assertEquals(7, s.code(), s.err());
        assertEquals(1, s.err().lines().count());
        assertTrue(s.err().contains("not an image directory"), s.err());
    }

    @Test
    void truncatedAndBitFlippedImagesGiveOneLineErrorsNeverInternalErrors() throws Exception {
        Path vector = Vectors.root().resolve("pipetree");
        List<Path> files;
        try (Stream<Path> s = Files.list(vector)) {
            files = s.sorted().toList();
        }
        Random random = new Random(42);
        int cases = 0;
        for (Path f : files) {
            long size = Files.size(f);
            for (int variant = 0; variant < 3; variant++) {
                Path dir = DumpEdit.copy(vector, tmp.resolve("case" + cases++));
                Path target = dir.resolve(f.getFileName().toString());
                if (variant == 0) {
                    truncate(target, size / 2);
                } else if (variant == 1) {
                    truncate(target, Math.max(0, size - 3));
                } else {
                    flip(target, size == 0 ? 0 : random.nextLong(Math.min(size, 64)), random.nextInt(8));
                }
                for (String[] args : List.of(new String[] {"summary", dir.toString()}, new String[] {"x", dir.toString(), "rss"},
                        new String[] {"x", dir.toString(), "fds"}, new String[] {"diff", vector.toString(), dir.toString()})) {
                    Show s = Show.run(args);
                    String what = String.join(" ", args) + " after damaging " + f.getFileName() + " (variant " + variant + ")";
                    assertTrue(Set.of(0, 1, 7, 8).contains(s.code()), what + ": exit " + s.code() + " " + s.err());
                    assertFalse(s.err().contains("internal error"), what + ": " + s.err());
                    assertFalse(s.err().contains("\tat "), what + ": stack trace " + s.err());
                    if (s.code() >= 7) {
                        assertEquals(1, s.err().lines().count(), what + ": " + s.err());
                    }
                }
            }
        }
    }

    private static void truncate(Path f, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void flip(Path f, long at, int bit) throws Exception {
        if (Files.size(f) == 0) {
            return;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ (1 << bit)));
            b.rewind();
            ch.write(b, at);
        }
    }
}
