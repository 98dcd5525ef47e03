package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.Vma;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages that exist, found by PAGEMAP_SCAN, are exactly those the pagemap's entries show, however
 * the memory is laid out: sparse (every other page, more ranges than one kernel answer holds), and
 * under the write tracker's protection.
 */
@Timeout(60)
class PagemapTest {

    @TempDir
    Path tmp;

    /** Per mapping of PID: "start-end: runs" by both ways, which must be equal. */
    private static void sameBothWays(int pid) {
        List<String> scanned = new ArrayList<>();
        List<String> read = new ArrayList<>();
        long runs = 0;
        try (Pagemap pm = Pagemap.open(pid)) {
            for (Vma v : ProcFs.system().maps(pid)) {
                if (Long.compareUnsigned(v.end(), 1L << 47) > 0) {
                    continue; // [vsyscall]
                }
                PageRuns a = new PageRuns();
                pm.addExisting(v.start(), v.end(), a);
                PageRuns b = new PageRuns();
                pm.readExisting(v.start(), v.end(), b);
                scanned.add(describe(v, a));
                read.add(describe(v, b));
                runs += b.count();
            }
        }
        assertEquals(read, scanned);
        assertTrue(runs > 0, "pages were found");
    }

    private static String describe(Vma v, PageRuns r) {
        StringBuilder s = new StringBuilder(Long.toHexString(v.start()) + ":");
        for (int i = 0; i < r.count(); i++) {
            s.append(' ').append(Long.toHexString(r.addr(i))).append('+').append(r.len(i) / 4096);
        }
        return s.toString();
    }

    @Test
    void aSparseAreaWithMoreRangesThanOneAnswerHoldsIsFoundPageForPage() {
        try (LiveProcess p = Fixture.start("sparse", "6", "3", "")) {
            p.awaitOutput("BIG", java.time.Duration.ofSeconds(10));
            assertTrue(p.stdout().contains("SPARSE"));
            try (Tracer t = Tracer.start()) {
                t.seizeTree((int) p.pid());
                sameBothWays((int) p.pid());
            }
        }
    }

    @Test
    void pagesUnderTheWriteTrackersProtectionAreFoundPageForPage() {
        try (LiveProcess p = Fixture.start("memhog", "16", "10", "churn")) {
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("pre")).withPreDump(true), DumpListener.NONE);
            try (Tracer t = Tracer.start()) {
                t.seizeTree((int) p.pid());
                sameBothWays((int) p.pid());
            }
        }
    }
}
