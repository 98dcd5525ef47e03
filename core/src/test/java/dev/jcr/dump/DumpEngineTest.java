package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpEngineTest {

    @TempDir
    Path tmp;

    @Test
    void singleThreadedLoopIsDumpedCompletelyAndKeepsRunning() throws Exception {
        Crit.assumeAvailable();
        try (LiveProcess p = Fixture.start("loop")) {
            int pid = (int) p.pid();
            Path dir = tmp.resolve("img");
            List<DumpPhase> phases = new ArrayList<>();
            DumpResult r = new DumpEngine().dump(pid, DumpOptions.to(dir), new DumpListener() {
                @Override
                public void phase(DumpPhase phase) {
                    phases.add(phase);
                }
            });
            assertEquals(dir.toAbsolutePath().normalize(), r.directory());
            assertEquals(List.of(pid), r.pids());
            assertEquals(List.of(DumpPhase.CHECKING, DumpPhase.FREEZING, DumpPhase.STATE, DumpPhase.MEMORY,
                    DumpPhase.RESUMING, DumpPhase.COMMITTING, DumpPhase.DONE), phases);
            assertTrue(r.stats().pagesWritten() > 0);

            ImageDir img = ImageDir.open(dir);
            InventoryEntry inv = img.readSingle(ImageKind.INVENTORY, null, InventoryEntry.class);
            assertEquals(2, inv.getImgVersion());
            assertTrue(inv.getFdinfoPerId());
            PstreeEntry ps = img.readAll(ImageKind.PSTREE, null, PstreeEntry.class).get(0);
            assertEquals(pid, ps.getPid());
            assertEquals(List.of(pid), ps.getThreadsList());
            CoreEntry core = img.readSingle(ImageKind.CORE, pid, CoreEntry.class);
            assertEquals(CoreEntry.March.X86_64, core.getMtype());
            assertTrue(core.getTc().getComm().startsWith("loop"));
            assertEquals(62, core.getTc().getSigactionsCount());
            MmEntry mm = img.readSingle(ImageKind.MM, pid, MmEntry.class);
            assertTrue(mm.getVmasCount() > 5);

            int decoded = Crit.decodeAll(dir);
            assertTrue(decoded >= 10, "decoded " + decoded);
            assertTrue(Crit.run("x", dir.toString(), "ps").contains(Integer.toString(pid)));
            Crit.run("x", dir.toString(), "mems");

            assertFalse(Files.list(tmp).anyMatch(f -> f.getFileName().toString().startsWith(".")),
                    "no temporary directory left");
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }
}
