package dev.jcr.show.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.DumpResult;
import dev.jcr.show.diff.DiffReport;
import dev.jcr.show.diff.ImageDiff;
import dev.jcr.show.diff.PageDiff;
import dev.jcr.show.testing.Crit;
import dev.jcr.show.testing.Show;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr-show on incremental dumps of a live, writing process: summary and x rss say which pages come
 * from which parent, a pre-dump is shown as what it is, diff reads parent pages through the chain,
 * and decode prints PE_PARENT runs as crit does.
 */
@Timeout(120)
class ChainViewTest {

    @TempDir
    Path tmp;

    @Test
    void summaryRssDiffAndDecodeFollowTheChainOfParents() throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "16", "10")) {
            int pid = (int) p.pid();
            DumpEngine jcr = new DumpEngine();
            jcr.dump(pid, DumpOptions.to(tmp.resolve("d1")).withPreDump(true), DumpListener.NONE);
            jcr.dump(pid, DumpOptions.to(tmp.resolve("d2")).withPreDump(true).withParent("../d1"), DumpListener.NONE);
            DumpResult full = jcr.dump(pid, DumpOptions.to(tmp.resolve("d3")).withParent("../d2").withTrackMem(true),
                    DumpListener.NONE);
            DumpResult next = jcr.dump(pid, DumpOptions.to(tmp.resolve("d4")).withParent("../d3"), DumpListener.NONE);
            Path d3 = tmp.resolve("d3");

            Show s = Show.run("summary", d3.toString());
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains("Chain        this dump " + full.stats().pagesWritten() + " pages"), s.out());
            assertTrue(s.out().contains(" <- ../d2 (pre-dump) ") && s.out().contains(" <- ../d1 (pre-dump) "), s.out());
            assertTrue(s.out().contains(full.stats().pagesInParent() + " pages"), s.out());
            JsonNode json = new ObjectMapper().readTree(Show.run("summary", "--json", d3.toString()).out());
            long fromChain = 0;
            for (JsonNode link : json.get("chain")) {
                fromChain += link.get("pages").asLong();
            }
            assertEquals(full.stats().pagesWritten() + full.stats().pagesInParent(), fromChain, json.get("chain").toString());

            Show pre = Show.run("summary", tmp.resolve("d1").toString());
            assertEquals(0, pre.code(), pre.err());
            assertTrue(pre.out().contains("(a pre-dump: memory only)"), pre.out());
            assertTrue(pre.out().contains("restore the dump made with --prev-images-dir pointing here"), pre.out());

            Show rss = Show.run("x", d3.toString(), "rss");
            assertEquals(0, rss.code(), rss.err());
            assertTrue(rss.out().contains("parent ../d1") || rss.out().contains("parent ../d2"), rss.out());
            assertTrue(rss.out().contains(" from ../d1"), rss.out());

            // the second dump holds only what changed: diff reads the rest through its parent
            DiffReport r = ImageDiff.between(d3, tmp.resolve("d4"));
            PageDiff pages = r.changed().get(0).pages();
            assertEquals(0, pages.unknown(), "every page of both dumps has contents somewhere in the chain: " + pages);
            assertTrue(pages.changed() > 0 && pages.changed() <= next.stats().pagesWritten(), pages + " vs " + next.stats());

            // crit (3.17 names field 2 nr_pages and knows no field 5) reads the same runs and flags
            JsonNode mine = new ObjectMapper().readTree(Show.run("decode", d3.resolve("pagemap-" + pid + ".img").toString()).out());
            JsonNode crit = new ObjectMapper().readTree(Crit.run("decode", "-i", d3.resolve("pagemap-" + pid + ".img").toString()));
            assertEquals(crit.get("entries").size(), mine.get("entries").size());
            for (int i = 1; i < crit.get("entries").size(); i++) {
                JsonNode c = crit.get("entries").get(i);
                JsonNode m = mine.get("entries").get(i);
                assertEquals(c.get("vaddr"), m.get("vaddr"));
                assertEquals(c.get("flags"), m.get("flags"));
                assertEquals(c.get("nr_pages"), m.get("nr_pages"));
            }
            assertTrue(Show.run("decode", "--pretty", d3.resolve("pagemap-" + pid + ".img").toString()).out()
                    .contains("\"flags\": \"PE_PARENT\""));
        }
    }
}
