package dev.jcr.show.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.show.model.Dump;
import dev.jcr.show.summary.Summary;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer views and summary on a dump jcr itself made of a live fixture, checked against crit reading the same images. */
class LiveExploreTest {

    @TempDir
    Path tmp;

    @Test
    void viewsOfJcrsOwnDumpAgreeWithCrit() {
        try (LiveProcess p = Fixture.start("viewer_mutate", tmp.resolve("out.txt").toString())) {
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
            assertEquals(ExploreViewsTest.critPs(dir), ExploreViewsTest.ourPs(dir));
            assertEquals(ExploreViewsTest.critFds(dir), ExploreViewsTest.ourFds(dir));
            assertEquals(ExploreViewsTest.critMems(dir), ExploreViewsTest.ourMems(dir));
            FdsView.Process fds = FdsView.of(Dump.open(dir)).processes().get(0);
            assertEquals("/tmp", fds.cwd());
            FdsView.Fd out = fds.fds().stream().filter(f -> f.fd() == 22).findFirst().orElseThrow();
            assertEquals(tmp.resolve("out.txt").toString(), out.name());
            assertEquals(10L, out.pos());
            Summary s = Summary.of(dir);
            assertEquals(1, s.processCount());
            // the 16-page buffer was written, so it is dumped
            assertTrue(s.memory().dumpedPages() >= 16, s.memory().toString());
            assertEquals(s.memory().dumpedPages(), RssView.of(Dump.open(dir)).processes().get(0).presentPages());
        }
    }
}
