package dev.jcr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory of a process through a chain of incremental dumps, resolved page by page, and the chain's checks. */
class PageChainTest {

    private static final int PID = 42;
    private static final long P = PagesWriter.PAGE_SIZE;

    @TempDir
    Path tmp;

    /** A page whose every byte is TAG. */
    private static ByteBuffer page(int tag, int n) {
        ByteBuffer b = ByteBuffer.allocate((int) (n * P));
        while (b.hasRemaining()) {
            b.put((byte) tag);
        }
        return b.flip();
    }

    /**
     * Three levels at 0x10000..0x18000 (8 pages): g0 holds all 8 (tag 1); g1 rewrites pages 2-3 (tag 2),
     * the rest in_parent; g2 rewrites page 3 and 7 (tag 3), the rest in_parent, plus a new page at 0x20000.
     */
    private Path chain() {
        Path g0 = tmp.resolve("g0");
        try (ImageDirWriter w = ImageDirWriter.create(g0)) {
            try (PagesWriter pw = w.openPages(PID, 1)) {
                pw.addPages(0x10000, PagesWriter.PE_PRESENT, page(1, 8));
            }
            w.commit();
        }
        Path g1 = tmp.resolve("g1");
        try (ImageDirWriter w = ImageDirWriter.create(g1)) {
            w.linkParent("../g0");
            try (PagesWriter pw = w.openPages(PID, 1)) {
                pw.addHole(0x10000, 2, PagesWriter.PE_PARENT);
                pw.addPages(0x12000, PagesWriter.PE_PRESENT, page(2, 2));
                pw.addHole(0x14000, 4, PagesWriter.PE_PARENT);
            }
            w.commit();
        }
        Path g2 = tmp.resolve("g2");
        try (ImageDirWriter w = ImageDirWriter.create(g2)) {
            w.linkParent("../g1");
            try (PagesWriter pw = w.openPages(PID, 1)) {
                pw.addHole(0x10000, 3, PagesWriter.PE_PARENT);
                pw.addPages(0x13000, PagesWriter.PE_PRESENT, page(3, 1));
                pw.addHole(0x14000, 3, PagesWriter.PE_PARENT);
                pw.addPages(0x17000, PagesWriter.PE_PRESENT, page(3, 1));
                pw.addPages(0x20000, PagesWriter.PE_PRESENT, page(4, 1));
            }
            w.commit();
        }
        return g2;
    }

    private static int tagAt(PageChain c, long addr) throws Exception {
        for (PageChain.Source s : c.sources()) {
            if (addr >= s.vaddr() && addr < s.end()) {
                try (FileChannel ch = FileChannel.open(c.pagesFile(s.level()), StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate(1);
                    ch.read(b, s.pagesOffset() + (addr - s.vaddr()));
                    return b.get(0);
                }
            }
        }
        return -1;
    }

    @Test
    void everyPageResolvesToTheNewestDumpThatHoldsIt() throws Exception {
        PageChain c = PageChain.open(chain(), PID);
        assertEquals(3, c.depth());
        assertEquals(9, c.pages());
        assertEquals(List.of(1, 1, 2, 3, 1, 1, 1, 3), List.of(tagAt(c, 0x10000), tagAt(c, 0x11000), tagAt(c, 0x12000),
                tagAt(c, 0x13000), tagAt(c, 0x14000), tagAt(c, 0x15000), tagAt(c, 0x16000), tagAt(c, 0x17000)));
        assertEquals(4, tagAt(c, 0x20000));
        assertEquals(3, c.pagesAt(0));
        assertEquals(1, c.pagesAt(1));
        assertEquals(5, c.pagesAt(2));
        assertTrue(c.ranges().covers(0x10000, 0x18000));
        try (ProcessMemory m = ProcessMemory.open(tmp.resolve("g2"), PID)) {
            assertEquals(ByteBuffer.wrap(page(1, 1).array()), m.page(0x15000).orElseThrow(), "the viewer's page lookup agrees");
        }
    }

    @Test
    void pagesAParentDoesNotHaveAreABadImage() throws Exception {
        Path g2 = chain();
        // g1 loses its claim on page 5: g2 still says it is there
        Path g1 = tmp.resolve("g1");
        Files.delete(g1.resolve("pagemap-" + PID + ".img"));
        try (ImageDirWriter w = ImageDirWriter.create(tmp.resolve("g1b"))) {
            w.linkParent("../g0");
            try (PagesWriter pw = w.openPages(PID, 1)) {
                pw.addHole(0x10000, 2, PagesWriter.PE_PARENT);
                pw.addPages(0x12000, PagesWriter.PE_PRESENT, page(2, 2));
                pw.addHole(0x14000, 1, PagesWriter.PE_PARENT);
            }
            w.commit();
        }
        Files.move(tmp.resolve("g1b/pagemap-" + PID + ".img"), g1.resolve("pagemap-" + PID + ".img"));
        BadImageException e = assertThrows(BadImageException.class, () -> PageChain.open(g2, PID));
        assertTrue(e.getMessage().contains("has no contents for them") && e.getMessage().contains("0x15000"), e.getMessage());
    }

    @Test
    void inParentPagesWithoutAParentLinkAreABadImage() {
        Path g2 = chain();
        try {
            Files.delete(g2.resolve("parent"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        BadImageException e = assertThrows(BadImageException.class, () -> PageChain.open(g2, PID));
        assertTrue(e.getMessage().contains("has no parent link"), e.getMessage());
    }

    @Test
    void rangeArithmetic() {
        PageRanges a = new PageRanges.Builder().add(0, 10).add(20, 30).add(40, 50).build();
        PageRanges b = new PageRanges.Builder().add(5, 25).add(45, 60).build();
        assertEquals("{0x5-0xa, 0x14-0x19, 0x2d-0x32}", a.intersect(b).toString());
        assertEquals("{0x0-0x5, 0x19-0x1e, 0x28-0x2d}", a.subtract(b).toString());
        assertEquals("{0x0-0x1e, 0x28-0x3c}", a.union(b).toString());
        assertEquals(30, a.bytes());
        assertTrue(a.covers(20, 30));
        assertTrue(!a.covers(20, 31));
        assertEquals(PageRanges.EMPTY.toString(), a.subtract(a).toString());
    }
}
