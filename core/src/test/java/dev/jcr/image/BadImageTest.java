package dev.jcr.image;

import static org.junit.jupiter.api.Assertions.*;

import dev.jcr.JcrException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadImageTest {

    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private BadImageException bad(Path f) {
        return assertThrows(BadImageException.class, () -> {
            try (ImageReader r = ImageReader.open(f)) {
                r.readAll();
            }
        });
    }

    @Test
    void unknownMagicIsNamedInHex() throws Exception {
        BadImageException e = bad(write("x.img", le(ImageKind.IMG_COMMON, 0x12345678)));
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains("unknown magic 0x12345678"), e.getMessage());
        assertTrue(e.getMessage().contains("x.img"), e.getMessage());
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind());
    }

    @Test
    void pagesFileIsNotMistakenForAnImage() throws Exception {
        Path pages = Vectors.root().resolve("counter/pages-1.img");
        assertTrue(bad(pages).getMessage().contains("unknown magic"));
    }

    @Test
    void emptyFileAndTruncatedHeaderAreReported() throws Exception {
        assertTrue(bad(write("e.img", new byte[0])).getMessage().contains("empty file"));
        BadImageException e = bad(write("h.img", Arrays.copyOf(le(ImageKind.IMG_COMMON, ImageKind.CORE.magic()), 6)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedEntryNamesItsOffset() throws Exception {
        byte[] fs = Files.readAllBytes(Vectors.root().resolve("counter/fs-20104.img"));
        BadImageException e = bad(write("fs-1.img", Arrays.copyOf(fs, fs.length - 1)));
        assertEquals(8, e.offset());
        assertTrue(e.getMessage().contains("remain in the file"), e.getMessage());
        BadImageException partialPrefix = bad(write("fs-2.img", concat(fs, new byte[] {1, 0})));
        assertTrue(partialPrefix.getMessage().contains("needs 4 bytes"), partialPrefix.getMessage());
    }

    @Test
    void hugeLengthPrefixFailsWithoutAllocating() throws Exception {
        BadImageException e = bad(write("core-1.img", le(ImageKind.IMG_COMMON, ImageKind.CORE.magic(), 0xfffffff0)));
        assertTrue(e.getMessage().contains("claims 4294967280 bytes but only 0 remain"), e.getMessage());
    }

    @Test
    void hugeLengthPrefixOnAStreamFailsWithoutAllocating() {
        byte[] bytes = concat(le(ImageKind.IMG_COMMON, ImageKind.CORE.magic(), 0x7ffffff0), new byte[100]);
        var ch = java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(bytes));
        BadImageException e = assertThrows(BadImageException.class, () -> ImageReader.of("<stdin>", ch, -1).readAll());
        assertTrue(e.getMessage().contains("ends after 100"), e.getMessage());
    }

    @Test
    void garbagePayloadIsNotAValidMessage() throws Exception {
        byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        BadImageException e = bad(write("fs-1.img", concat(le(ImageKind.IMG_COMMON, ImageKind.FS.magic(), junk.length), junk)));
        assertTrue(e.getMessage().contains("not a valid fs_entry"), e.getMessage());
    }

    @Test
    void missingRequiredFieldIsNamed() throws Exception {
        byte[] onlyCwd = {0x08, 0x01}; // fs_entry.cwd_id = 1, root_id missing
        BadImageException e = bad(write("fs-1.img", concat(le(ImageKind.IMG_COMMON, ImageKind.FS.magic(), 2), onlyCwd)));
        assertTrue(e.getMessage().contains("root_id"), e.getMessage());
    }

    @Test
    void pagemapPointingPastThePagesFileIsCaughtOnOpen() throws Exception {
        Path src = Vectors.root().resolve("counter");
        Path dir = Files.createDirectory(tmp.resolve("dump"));
        Files.copy(src.resolve("pagemap-20104.img"), dir.resolve("pagemap-20104.img"));
        byte[] pages = Files.readAllBytes(src.resolve("pages-1.img"));
        Files.write(dir.resolve("pages-1.img"), Arrays.copyOf(pages, pages.length - 4096));
        BadImageException e = assertThrows(BadImageException.class, () -> ProcessMemory.open(dir, 20104));
        assertTrue(e.getMessage().contains("points past the end of pages-1.img"), e.getMessage());
        assertTrue(e.file().endsWith("pagemap-20104.img"));
    }

    @Test
    void missingFileIsAnIoErrorNotABadImage() {
        ImageIoException e = assertThrows(ImageIoException.class, () -> ImageReader.open(tmp.resolve("nope.img")));
        assertEquals(JcrException.Kind.IO, e.kind());
        assertTrue(e.getMessage().contains("no such file"));
    }

    /**
     * Truncations, bit flips and rewritten length prefixes of every vector image: each either
     * decodes or fails with a BadImageException, never any other exception, never a hang.
     */
    @Test
    void mutatedImagesFailCleanlyOrDecode() throws Exception {
        Random rnd = new Random(20261125);
        int cases = 0;
        int failures = 0;
        for (Path f : Vectors.images()) {
            byte[] orig = Files.readAllBytes(f);
            for (int i = 0; i < 40; i++) {
                byte[] m = mutate(orig, rnd);
                try (ImageReader r = ImageReader.of(f.getFileName().toString(),
                        java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(m)), rnd.nextBoolean() ? m.length : -1)) {
                    r.readAll();
                } catch (BadImageException expected) {
                    failures++;
                } catch (Throwable t) {
                    throw new AssertionError("case " + cases + " of " + f + " threw " + t, t);
                }
                cases++;
            }
        }
        assertTrue(cases >= 2000, "ran " + cases + " cases");
        assertTrue(failures > cases / 10, "mutations are detected: " + failures + " of " + cases);
    }

    static byte[] mutate(byte[] orig, Random rnd) {
        byte[] m = orig.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> m = Arrays.copyOf(orig, rnd.nextInt(orig.length + 1));
            case 1 -> {
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    int pos = rnd.nextInt(m.length);
                    m[pos] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> {
                if (m.length >= 12) {
                    ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(8, rnd.nextBoolean() ? rnd.nextInt() : rnd.nextInt(64));
                }
            }
            default -> {
                int pos = rnd.nextInt(m.length);
                m[pos] = (byte) rnd.nextInt(256);
                if (rnd.nextBoolean()) {
                    m = Arrays.copyOf(m, m.length + rnd.nextInt(16));
                }
            }
        }
        return m;
    }
}
