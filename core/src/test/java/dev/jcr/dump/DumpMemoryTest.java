package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ProcessMemory;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.SparseFixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages a dump writes, checked page by page against what the process holds: many short runs
 * and holes, a run longer than the copy's pipe, a PROT_NONE page between readable ones, a
 * read-only page; the process runs on unharmed, with no thread, fd or mapping of jcr's left.
 */
class DumpMemoryTest {

    private static final int PAGE = 4096;

    @TempDir
    Path tmp;

    private static void assertPage(ProcessMemory mem, long addr) {
        Optional<ByteBuffer> page = mem.page(addr);
        assertTrue(page.isPresent(), "page 0x" + Long.toHexString(addr) + " is in the image");
        ByteBuffer b = page.get().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < PAGE / 8; i++) {
            long want = SparseFixture.word(addr, i);
            if (b.getLong(i * 8) != want) {
                throw new AssertionError("page 0x" + Long.toHexString(addr) + " word " + i + ": 0x"
                        + Long.toHexString(b.getLong(i * 8)) + " instead of 0x" + Long.toHexString(want));
            }
        }
    }

    private static String list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }

    @Test
    void everyTouchedPageIsInTheImageExactlyAndHolesAreNot() throws Exception {
        dumpAndCheck("6", "3", "");
    }

    @Test
    void aProcessThatCannotMakeThePipeIsDumpedTheSlowWayWithTheSameBytes() throws Exception {
        dumpAndCheck("2", "2", "nofds"); // at its RLIMIT_NOFILE: no helper pipe, process_vm_readv instead
    }

    private void dumpAndCheck(String sparseMib, String bigMib, String mode) throws Exception {
        try (LiveProcess p = Fixture.start("sparse", sparseMib, bigMib, mode)) {
            int pid = (int) p.pid();
            long[] sparse = SparseFixture.area(p.stdout(), "SPARSE");
            long[] big = SparseFixture.area(p.stdout(), "BIG");
            long[] mixed = SparseFixture.area(p.stdout(), "MIXED");
            long[] ro = SparseFixture.area(p.stdout(), "RO");
            String fds = list(Path.of("/proc/" + pid + "/fd"));
            String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
            Path dir = tmp.resolve("img");
            DumpResult r = new DumpEngine().dump(pid, DumpOptions.to(dir), DumpListener.NONE);
            assertTrue(r.stats().pagesWritten() >= sparse[1] / PAGE / 2 + big[1] / PAGE + 4);
            try (ProcessMemory mem = ImageDir.open(dir).memory(pid)) {
                for (long o = 0; o < sparse[1]; o += 2 * PAGE) {
                    assertPage(mem, sparse[0] + o);
                    assertFalse(mem.page(sparse[0] + o + PAGE).isPresent(), "untouched page not dumped");
                }
                for (long o = 0; o < big[1]; o += PAGE) {
                    assertPage(mem, big[0] + o);
                }
                for (int i = 0; i < 3; i++) {
                    assertPage(mem, mixed[0] + i * PAGE); // the middle one is PROT_NONE
                }
                assertPage(mem, ro[0]);
            }
            assertEquals(fds, list(Path.of("/proc/" + pid + "/fd")), "no fd of jcr's left");
            assertEquals(maps, Files.readString(Path.of("/proc/" + pid + "/maps")), "no mapping of jcr's left");
            assertEquals("[" + pid + "]", list(Path.of("/proc/" + pid + "/task")), "no thread of jcr's left");
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            assertFalse(out.contains("FAIL"), out);
        }
    }
}
