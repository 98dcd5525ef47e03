package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PagemapHead;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Broken images: refused with a one-line error naming the file before anything is created, or — for
 * damage only the kernel can notice — failing part way with every created process killed and reaped.
 */
@ExtendWith(VectorLock.class)
class BrokenImagesRestoreTest {

    @TempDir
    Path tmp;

    private Path copyOfCounter() throws IOException {
        Path src = CriuVectors.prepare("counter", "counter.out");
        Path dst = tmp.resolve("counter");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    private static void truncate(Path f, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    private static JcrException restoreFails(Path dir) {
        return assertThrows(JcrException.class, () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
    }

    @Test
    void truncatedCoreImageIsRefusedNamingTheFile() throws IOException {
        Path dir = copyOfCounter();
        Path core = dir.resolve("core-20104.img");
        truncate(core, Files.size(core) / 2);
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind());
        assertTrue(e.getMessage().contains("core-20104.img"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void pagesFileShorterThanItsPagemapIsRefusedBeforeAnythingIsCreated() throws IOException {
        Path dir = copyOfCounter();
        truncate(dir.resolve("pages-1.img"), 4096);
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind());
        assertTrue(e.getMessage().contains("pages-1.img"), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/20104")));
    }

    @Test
    void missingMmImageIsRefused() throws IOException {
        Path dir = copyOfCounter();
        Files.delete(dir.resolve("mm-20104.img"));
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind());
        assertTrue(e.getMessage().contains("mm-20104.img"), e.getMessage());
    }

    /** Rewrites image KIND/ID of DIR with EDIT applied to its messages (framing rebuilt by the writer). */
    private static void rewrite(Path dir, ImageKind kind, Object id, UnaryOperator<List<com.google.protobuf.Message>> edit)
            throws IOException {
        List<com.google.protobuf.Message> msgs = new ArrayList<>();
        ImageDir.open(dir).read(kind, id).forEach(e -> msgs.add(e.message()));
        String name = id == null ? kind.fileName() : kind.fileName(id);
        try (OutputStream out = Files.newOutputStream(dir.resolve(name)); ImageWriter w = ImageWriter.start(kind, name, out)) {
            for (com.google.protobuf.Message m : edit.apply(msgs)) {
                w.write(m);
            }
        }
    }

    /** The counter's output file entry (fd 3 appends to it), renamed by RENAME. */
    private static void renameOutputFile(Path dir, UnaryOperator<String> rename) throws IOException {
        rewrite(dir, ImageKind.FILES, null, msgs -> msgs.stream().map(m -> {
            FileEntry f = (FileEntry) m;
            return f.hasReg() && f.getReg().getName().endsWith("counter.out")
                    ? f.toBuilder().setReg(f.getReg().toBuilder().setName(rename.apply(f.getReg().getName()))).build() : m;
        }).toList());
    }

    private static void assertOneCleanLine(JcrException e) {
        for (char c : e.getMessage().toCharArray()) {
            assertTrue(c >= 0x20 && (c < 0x7f || c > 0x9f), "no raw control character: " + dev.jcr.Quote.of(e.getMessage()));
        }
    }

    @Test
    void fdListedTwiceInFdinfoIsABadImageNamingThatImage() throws IOException {
        Path dir = copyOfCounter();
        rewrite(dir, ImageKind.FDINFO, 2, msgs -> {
            List<com.google.protobuf.Message> out = new ArrayList<>(msgs);
            out.add(((FdinfoEntry) msgs.get(0)).toBuilder().build());
            return out;
        });
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("fdinfo-2.img") && e.getMessage().contains("appears twice"), e.getMessage());
    }

    @Test
    void fileNameWithANulByteIsABadImageNamingFilesImgAndTheField() throws IOException {
        Path dir = copyOfCounter();
        renameOutputFile(dir, n -> n + "\0.evil");
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("files.img") && e.getMessage().contains("reg.name of file")
                && e.getMessage().contains("NUL"), e.getMessage());
        assertTrue(e.getMessage().contains("counter.out\\x00.evil"), "the name is shown escaped: " + e.getMessage());
        assertOneCleanLine(e);
    }

    @Test
    void fileNameWithNewlineAndEscapeIsQuotedEscapedInTheMessage() throws IOException {
        Path dir = copyOfCounter();
        renameOutputFile(dir, n -> n + "\n\u001b[31mred");
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.CONFLICT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("\"/tmp/jcr-vectors/counter.out\\n\\x1b[31mred\" no longer exists"), e.getMessage());
        assertOneCleanLine(e);
    }

    @Test
    void pagemapNamingAPagesFileThatDoesNotExistIsABadImage() throws IOException {
        Path dir = copyOfCounter();
        rewrite(dir, ImageKind.PAGEMAP, 20104, msgs -> {
            List<com.google.protobuf.Message> out = new ArrayList<>(msgs);
            out.set(0, ((PagemapHead) msgs.get(0)).toBuilder().setPagesId(7).build());
            return out;
        });
        JcrException e = restoreFails(dir);
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("pagemap-20104.img") && e.getMessage().contains("pages-7.img"), e.getMessage());
    }

    @Test
    void failureAfterTheTreeExistsKillsItAndLeavesNoProcessBehind() throws IOException {
        Path dir = copyOfCounter();
        CriuVectors.assumePidsFree(dir);
        // /dev/null as the executable passes every check on paper; only PR_SET_MM_MAP, deep in the
        // address space rebuild, refuses it
        MmEntry mm = ImageDir.open(dir).readSingle(ImageKind.MM, 20104, MmEntry.class);
        try (OutputStream out = Files.newOutputStream(dir.resolve("mm-20104.img"));
                ImageWriter w = ImageWriter.start(ImageKind.MM, "mm-20104.img", out)) {
            w.write(mm.toBuilder().setExeFileId(4).build());
        }
        JcrException e = restoreFails(dir);
        assertTrue(e.getMessage().contains("PR_SET_MM_MAP"), e.getMessage());
        assertTrue(e.getMessage().contains("20104"), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/20104")), "the half-restored process is gone, not even a zombie");
        // and the same pid can be used again at once
        Path good = CriuVectors.prepare("counter", "counter.out");
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(good).detached());
        try {
            assertEquals(20104, r.rootPid());
        } finally {
            try {
                CriuVectors.kill(20104);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
