package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.DumpResult;
import dev.jcr.dump.DumpStats;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iterative dumps end to end, CRIU's model: pre-dumps copy memory while the process runs, the final
 * dump holds only the pages written since its parent and marks the rest in_parent, and restore reads
 * every page from wherever the chain of parents holds it. The memhog fixture rewrites a moving window
 * of its memory all the time and checks every byte on SIGUSR1.
 */
@Timeout(180)
class IncrementalRestoreTest {

    @TempDir
    Path tmp;

    private static DumpResult dump(LiveProcess p, DumpOptions o) {
        return new DumpEngine().dump((int) p.pid(), o, DumpListener.NONE);
    }

    private static void restoreAndCheck(LiveProcess p, Path dir) {
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        p.signal("USR1");
        String out = p.awaitOutput("PASS memhog", Duration.ofSeconds(30));
        assertFalse(out.contains("FAIL"), out);
    }

    private static long userfaultfds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).toString().equals("anon_inode:[userfaultfd]");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void memhogPreDumpedTwiceThenDumpedRestoresWithEveryByteChecked() throws Exception {
        Crit.assumeAvailable();
        try (LiveProcess p = Fixture.start("memhog", "64", "10", "churn")) {
            Path d1 = tmp.resolve("d1");
            Path d2 = tmp.resolve("d2");
            Path fin = tmp.resolve("final");
            DumpResult r1 = dump(p, DumpOptions.to(d1).withPreDump(true));
            assertTrue(r1.preDump());
            assertEquals(List.of(), r1.warnings());
            assertTrue(r1.stats().pagesWritten() >= 16384, "the first pre-dump copies everything: " + r1.stats());
            assertEquals(1, userfaultfds(p.pid()), "the process holds jcr's write tracker");
            DumpResult r2 = dump(p, DumpOptions.to(d2).withPreDump(true).withParent("../d1"));
            assertEquals(List.of(), r2.warnings());
            assertTrue(r2.stats().pagesInParent() > 0, "unwritten pages stay in the parent: " + r2.stats());
            DumpResult r3 = dump(p, DumpOptions.to(fin).withParent("../d2").withKill(true));
            assertEquals(List.of(), r3.warnings());
            assertTrue(r3.stats().pagesInParent() > 0 && r3.stats().pagesWritten() < r3.stats().pagesInParent(),
                    "the final dump copies only what was written since the second pre-dump: " + r3.stats());
            assertEquals("../d2", Files.readSymbolicLink(fin.resolve("parent")).toString(), "CRIU's parent link");
            // crit reads the pagemap with its PE_PARENT runs
            String json = Crit.decode(fin.resolve(ImageKind.PAGEMAP.fileName(p.pid())));
            assertTrue(json.contains("\"flags\": " + PagesWriter.PE_PARENT), json.substring(0, Math.min(400, json.length())));
            assertTrue(pagemap(fin, p.pid()).stream().anyMatch(e -> e.getFlags() == PagesWriter.PE_PARENT));
            restoreAndCheck(p, fin);
            assertEquals(0, userfaultfds(p.pid()), "the tracker is jcr's: not part of the image");
        }
    }

    @Test
    void theLastDumpCopiesWhatWasWrittenSinceTheParentBeforeItsFreezeAndRestoresEveryByte() throws Exception {
        Crit.assumeAvailable();
        // 100 % of 64 MiB per second: in the second after the pre-dump the window covers most of the area
        try (LiveProcess p = Fixture.start("memhog", "64", "100", "churn")) {
            Path pre = tmp.resolve("pre");
            Path fin = tmp.resolve("fin");
            dump(p, DumpOptions.to(pre).withPreDump(true));
            Thread.sleep(1000);
            DumpResult r = dump(p, DumpOptions.to(fin).withParent("../pre").withKill(true));
            assertEquals(List.of(), r.warnings());
            DumpStats s = r.stats();
            assertTrue(s.pagesPrecopied() > 4096, "what was written in that second is copied before the freeze: " + s);
            assertTrue(s.pagesPrecopied() > s.pagesWritten() - s.pagesPrecopied(),
                    "more pages are copied before the freeze than during it: " + s);
            assertTrue(r.summary().contains("copied before the freeze"), r.summary());
            // one image, as if copied at once: the pagemap's present pages are the pages file, back to back
            long present = pagemap(fin, p.pid()).stream().filter(e -> e.getFlags() == PagesWriter.PE_PRESENT)
                    .mapToLong(PagemapEntry::getNrPages).sum();
            assertEquals(Files.size(fin.resolve(ImageKind.PAGES.fileName(1))), present * 4096);
            assertEquals(s.pagesWritten(), present, "stats count the pages of both copies");
            try (Stream<Path> files = Files.list(fin)) {
                assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
                        "the scratch copy is not part of the directory");
            }
            String stats = Crit.decode(fin.resolve("stats-dump"));
            assertTrue(stats.contains("\"pages_written\": " + s.pagesWritten()), stats);
            restoreAndCheck(p, fin);
        }
    }

    @Test
    void aForkedChildRestoredThroughAChainSharesTheUnwrittenPagesWithItsParentAgain() {
        // cow: parent and child share 62 of 64 pages copy-on-write; both left to the parent image by
        // the final dump, so the restore compares them through the chain (Inheritance)
        try (LiveProcess p = Fixture.start("cow")) {
            dump(p, DumpOptions.to(tmp.resolve("pre")).withPreDump(true));
            DumpResult r = dump(p, DumpOptions.to(tmp.resolve("fin")).withParent("../pre").withKill(true));
            assertTrue(r.stats().pagesInParent() >= 2 * 64, "the 64 pages of each are in the parent: " + r.stats());
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            new RestoreEngine(null).restore(RestoreOptions.of(tmp.resolve("fin")).detached());
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(30));
            assertTrue(out.contains("PASS 62 pages shared"), out);
        }
    }

    @Test
    void aParentWhoseTrackerWasResetSinceIsNotTrustedAndEverythingIsCopied() {
        try (LiveProcess p = Fixture.start("memhog", "16", "10")) {
            Path a = tmp.resolve("a");
            dump(p, DumpOptions.to(a).withPreDump(true));
            dump(p, DumpOptions.to(tmp.resolve("b")).withPreDump(true).withParent("../a"));
            // b reset the tracker: pages written between a and b would look unwritten against a
            DumpResult r = dump(p, DumpOptions.to(tmp.resolve("fin")).withParent("../a").withKill(true));
            assertEquals(0, r.stats().pagesInParent(), r.stats().toString());
            assertTrue(r.warnings().stream().anyMatch(n -> n.contains("reset after the parent dump")), r.warnings().toString());
            restoreAndCheck(p, tmp.resolve("fin"));
        }
    }

    @Test
    void withoutAWriteTrackerEveryPageIsCopiedAndTheDumpSaysSo() {
        // the process's descriptor table is full: no userfaultfd can be made in it
        try (LiveProcess p = Fixture.start("memhog", "16", "10", "fdfull")) {
            DumpResult pre = dump(p, DumpOptions.to(tmp.resolve("pre")).withPreDump(true));
            assertTrue(pre.warnings().stream().anyMatch(n -> n.contains("write tracking is not available")), pre.warnings().toString());
            DumpResult r = dump(p, DumpOptions.to(tmp.resolve("fin")).withParent("../pre").withKill(true));
            assertEquals(0, r.stats().pagesInParent());
            assertTrue(r.stats().pagesWritten() >= 4096, r.stats().toString());
            restoreAndCheck(p, tmp.resolve("fin"));
        }
    }

    @Test
    void aBrokenParentChainIsRefusedBeforeAnyProcessExists() throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "8", "10")) {
            Path d1 = tmp.resolve("d1");
            Path fin = tmp.resolve("fin");
            dump(p, DumpOptions.to(d1).withPreDump(true));
            DumpResult r = dump(p, DumpOptions.to(fin).withParent("../d1").withKill(true));
            assertTrue(r.stats().pagesInParent() > 0, r.stats().toString());
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            Path pagemap = d1.resolve(ImageKind.PAGEMAP.fileName(p.pid()));
            Path pages = d1.resolve(ImageKind.PAGES.fileName(1));
            Path saved = tmp.resolve("saved");
            Files.createDirectory(saved);
            Files.copy(pagemap, saved.resolve("pagemap"));
            Files.copy(pages, saved.resolve("pages"));

            // the parent's pages file is short
            try (RandomAccessFile f = new RandomAccessFile(pages.toFile(), "rw")) {
                f.setLength(f.length() - 4096);
            }
            refused(p, fin, "points past the end");
            Files.copy(saved.resolve("pages"), pages, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            // the parent holds no pagemap for the process
            Files.delete(pagemap);
            refused(p, fin, "holds no pagemap-" + p.pid());
            Files.copy(saved.resolve("pagemap"), pagemap);

            // the parent's pagemap is garbage
            Files.write(pagemap, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            refused(p, fin, "pagemap-" + p.pid());
            Files.copy(saved.resolve("pagemap"), pagemap, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            // the parent links loop
            Files.createSymbolicLink(d1.resolve("parent"), Path.of("../fin"));
            refused(p, fin, "loop");
            Files.delete(d1.resolve("parent"));

            // the parent is gone
            Path moved = tmp.resolve("elsewhere");
            Files.move(d1, moved);
            refused(p, fin, "parent");
            Files.move(moved, d1);

            restoreAndCheck(p, fin);
        }
    }

    private static void refused(LiveProcess p, Path dir, String why) {
        JcrException e = assertThrows(JcrException.class,
                () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "nothing was created");
    }

    static List<PagemapEntry> pagemap(Path dir, long pid) {
        List<dev.jcr.image.ImageEntry> all = ImageDir.open(dir).read(ImageKind.PAGEMAP, pid);
        return all.subList(1, all.size()).stream().map(e -> e.as(PagemapEntry.class)).toList();
    }
}
