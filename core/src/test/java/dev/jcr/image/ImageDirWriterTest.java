package dev.jcr.image;

import static org.junit.jupiter.api.Assertions.*;

import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.PipeDataEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.StatsEntry;
import dev.jcr.image.proto.DumpStatsEntry;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirWriterTest {

    @TempDir
    Path tmp;

    @Test
    void committedDirectoryAppearsWholeAndReadsBack() {
        Path target = tmp.resolve("dump");
        try (ImageDirWriter w = ImageDirWriter.create(target)) {
            w.writeAll(ImageKind.PSTREE, null, List.of(PstreeEntry.newBuilder().setPid(10).setPpid(0).setPgid(10).setSid(10).addThreads(10).build()));
            w.writeSingle(ImageKind.FS, 10, FsEntry.newBuilder().setCwdId(1).setRootId(2).setUmask(022).build());
            assertFalse(Files.exists(target), "nothing at the target before commit");
            w.commit();
        }
        assertTrue(Files.isDirectory(target));
        ImageDir dir = new ImageDirReaderForTest(target).dir;
        assertEquals(022, dir.readSingle(ImageKind.FS, 10, FsEntry.class).getUmask());
        assertEquals(10, dir.readAll(ImageKind.PSTREE, null, PstreeEntry.class).get(0).getPid());
        assertNoTempLeft();
    }

    @Test
    void abortedOrUnclosedWriteLeavesNothingBehind() {
        Path target = tmp.resolve("dump");
        try (ImageDirWriter w = ImageDirWriter.create(target)) {
            w.writeSingle(ImageKind.FS, 1, FsEntry.newBuilder().setCwdId(1).setRootId(2).build());
            try (ImageWriter iw = w.open(ImageKind.FDINFO, 2)) {
                throw new IllegalStateException("dump failed half way");
            } catch (IllegalStateException expected) {
                // fall out of the try-with-resources without commit
            }
        }
        assertFalse(Files.exists(target));
        assertNoTempLeft();
    }

    @Test
    void refusesToOverwriteAnExistingDirectory() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("dump"));
        ImageIoException e = assertThrows(ImageIoException.class, () -> ImageDirWriter.create(target));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void writerRejectsAWrongEntryTypeAndABlobOfTheWrongLength() {
        try (ImageDirWriter w = ImageDirWriter.create(tmp.resolve("dump"))) {
            try (ImageWriter iw = w.open(ImageKind.FDINFO, 1)) {
                assertThrows(IllegalArgumentException.class, () -> iw.write(FsEntry.newBuilder().setCwdId(1).setRootId(1).build()));
            }
            try (ImageWriter iw = w.open(ImageKind.PIPES_DATA, null)) {
                PipeDataEntry pd = PipeDataEntry.newBuilder().setPipeId(3).setBytes(5).build();
                assertThrows(IllegalArgumentException.class, () -> iw.write(pd, new byte[4]));
                iw.write(pd, "hello".getBytes());
            }
        }
    }

    @Test
    void statsDumpIsAServiceImage() throws Exception {
        Path target = tmp.resolve("dump");
        try (ImageDirWriter w = ImageDirWriter.create(target)) {
            w.writeSingle(ImageKind.STATS, "dump", StatsEntry.newBuilder().setDump(DumpStatsEntry.newBuilder()
                    .setFreezingTime(1).setFrozenTime(2).setMemdumpTime(3).setMemwriteTime(4)
                    .setPagesScanned(5).setPagesSkippedParent(6).setPagesWritten(7).setPagesLazy(0)).build());
            w.commit();
        }
        byte[] b = Files.readAllBytes(target.resolve("stats-dump"));
        assertEquals(ImageKind.IMG_SERVICE, ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
        try (ImageReader r = ImageReader.open(target.resolve("stats-dump"))) {
            assertEquals(ImageKind.STATS, r.kind());
            assertEquals(7, r.next().as(StatsEntry.class).getDump().getPagesWritten());
        }
    }

    @Test
    void pagesWrittenFromBuffersAndChannelsAreFoundAtTheirAddresses() throws Exception {
        Random rnd = new Random(42);
        byte[] a = new byte[3 * 4096];
        byte[] b = new byte[2 * 4096];
        rnd.nextBytes(a);
        rnd.nextBytes(b);
        Path src = tmp.resolve("src.bin");
        Files.write(src, b);
        Path target = tmp.resolve("dump");
        try (ImageDirWriter w = ImageDirWriter.create(target)) {
            Files.write(w.tempDir().resolve("inventory.img"), new byte[0]); // placeholder so ImageDir accepts it
            try (PagesWriter pw = w.openPages(77, 1); FileChannel ch = FileChannel.open(src, StandardOpenOption.READ)) {
                pw.addPages(0x10000, PagesWriter.PE_PRESENT, ByteBuffer.wrap(a, 0, 4096));
                pw.addPages(0x11000, PagesWriter.PE_PRESENT, ByteBuffer.wrap(a, 4096, 8192)); // merges with the previous run
                pw.addHole(0x20000, 4, PagesWriter.PE_PARENT);
                pw.addPages(0xffffffffff600000L - 0x2000, PagesWriter.PE_PRESENT, ch, 0, b.length);
                assertEquals(3, pw.entriesWritten());
                assertEquals(5, pw.pagesWritten());
            }
            w.commit();
        }
        try (ProcessMemory mem = ProcessMemory.open(target, 77)) {
            assertEquals(3, mem.runs().size());
            assertEquals(3, mem.runs().get(0).nrPages());
            assertEquals(ByteBuffer.wrap(a, 4096, 4096), mem.page(0x11000 + 17).orElseThrow());
            assertEquals(ByteBuffer.wrap(b, 4096, 4096), mem.page(0xffffffffff600000L - 0x1000).orElseThrow());
            assertTrue(mem.page(0x20000).isEmpty(), "parent pages without a parent dir have no contents");
            assertTrue(mem.page(0x30000).isEmpty(), "unmapped");
        }
        assertEquals(5 * 4096, Files.size(target.resolve("pages-1.img")));
    }

    @Test
    void pagesMarkedParentAreReadFromTheParentDump() throws Exception {
        byte[] page = new byte[4096];
        new Random(5).nextBytes(page);
        Path parent = tmp.resolve("pre-dump");
        try (ImageDirWriter w = ImageDirWriter.create(parent)) {
            try (PagesWriter pw = w.openPages(9, 1)) {
                pw.addPages(0x5000, PagesWriter.PE_PRESENT, ByteBuffer.wrap(page));
            }
            w.commit();
        }
        Path child = tmp.resolve("dump");
        try (ImageDirWriter w = ImageDirWriter.create(child)) {
            w.linkParent(parent);
            try (PagesWriter pw = w.openPages(9, 2)) {
                pw.addHole(0x5000, 1, PagesWriter.PE_PARENT);
            }
            w.commit();
        }
        assertTrue(Files.isSymbolicLink(child.resolve("parent")));
        try (ProcessMemory mem = ProcessMemory.open(child, 9)) {
            assertEquals(0, mem.presentPages());
            assertEquals(ByteBuffer.wrap(page), mem.page(0x5123).orElseThrow());
        }
    }

    @Test
    void memoryOfTheMemhogVectorMatchesItsPagesFile() throws Exception {
        Path dir = Vectors.root().resolve("memhog16");
        try (ProcessMemory mem = ProcessMemory.open(dir, 20166); RandomAccessFile raf = new RandomAccessFile(dir.resolve("pages-1.img").toFile(), "r")) {
            assertEquals(Files.size(dir.resolve("pages-1.img")), mem.presentPages() * 4096);
            for (ProcessMemory.Run run : mem.runs()) {
                long last = run.vaddr() + (run.nrPages() - 1) * 4096;
                byte[] expect = new byte[4096];
                raf.seek(run.pagesOffset() + (run.nrPages() - 1) * 4096);
                raf.readFully(expect);
                assertEquals(ByteBuffer.wrap(expect), mem.page(last).orElseThrow());
            }
        }
    }

    private void assertNoTempLeft() {
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("jcr-tmp")), "temp dir removed");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads a directory written without an inventory (the library does not require one to read single images). */
    private static final class ImageDirReaderForTest {
        final ImageDir dir;

        ImageDirReaderForTest(Path p) {
            try {
                Files.write(p.resolve("inventory.img"), new byte[0]);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            this.dir = ImageDir.open(p);
        }
    }
}
