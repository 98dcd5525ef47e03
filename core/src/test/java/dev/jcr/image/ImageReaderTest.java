package dev.jcr.image;

import static org.junit.jupiter.api.Assertions.*;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PipeDataEntry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageReaderTest {

    @Test
    void everyVectorImageIsReadAsTheKindItsFileNameSays() {
        List<Path> images = Vectors.images();
        assertTrue(images.size() > 50, "expected the vectors' images, found " + images.size());
        for (Path f : images) {
            try (ImageReader r = ImageReader.open(f)) {
                ImageKind byName = ImageKind.byFileName(f.getFileName().toString()).orElseThrow();
                assertEquals(byName, r.kind(), f.toString());
                List<ImageEntry> entries = r.readAll();
                assertFalse(entries.isEmpty(), f + " has entries");
                if (r.kind().layout() == ImageKind.Layout.SINGLE) {
                    assertEquals(1, entries.size(), f.toString());
                }
                entries.forEach(e -> assertNotNull(e.message(), f + " entry " + e.index() + " decoded"));
            }
        }
    }

    @Test
    void rewritingEveryVectorImageGivesTheSameBytes() throws Exception {
        for (Path f : Vectors.images()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageReader r = ImageReader.open(f); ImageWriter w = ImageWriter.start(r.kind(), "copy", out)) {
                for (ImageEntry e = r.next(); e != null; e = r.next()) {
                    w.write(e.message(), e.extra());
                }
            }
            assertArrayEquals(Files.readAllBytes(f), out.toByteArray(), f.toString());
        }
    }

    @Test
    void threadsDumpHasOneCoreImagePerThreadWithX86Registers() {
        Path dir = Vectors.root().resolve("threads");
        ImageDir images = ImageDir.open(dir);
        var pstree = images.read(ImageKind.PSTREE, null);
        assertEquals(1, pstree.size());
        var entry = pstree.get(0).as(dev.jcr.image.proto.PstreeEntry.class);
        assertEquals(5, entry.getThreadsCount());
        for (int tid : entry.getThreadsList()) {
            CoreEntry core = images.readSingle(ImageKind.CORE, tid, CoreEntry.class);
            assertEquals(CoreEntry.March.X86_64, core.getMtype());
            assertTrue(core.getThreadInfo().getGpregs().getIp() != 0, "thread " + tid + " has an ip");
        }
    }

    @Test
    void pipeDataBlobHasTheAnnouncedLength() {
        var entries = ImageDir.open(Vectors.root().resolve("pipetree")).read(ImageKind.PIPES_DATA, null);
        assertFalse(entries.isEmpty());
        for (ImageEntry e : entries) {
            assertEquals(e.as(PipeDataEntry.class).getBytes(), e.extra().length);
        }
    }

    @Test
    void criu42PagemapEntriesCarryTheirCountInFieldFive() {
        var entries = ImageDir.open(Vectors.root().resolve("memhog16")).read(ImageKind.PAGEMAP, 20166);
        long total = 0;
        for (ImageEntry e : entries.subList(1, entries.size())) {
            PagemapEntry pe = e.as(PagemapEntry.class);
            assertEquals(0, pe.getCompatNrPages());
            assertTrue(pe.hasNrPages());
            total += ProcessMemory.pageCount(pe);
        }
        assertTrue(total >= 4096, "16 MiB of memory dumped: " + total + " pages");
    }
}
