package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteMemoryTest {

    private static long field(String out, String key, int index) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Long.parseUnsignedLong(line.split(" ")[index], 16);
            }
        }
        throw new AssertionError("no " + key + " in " + out);
    }

    private static long word(long base, long i) {
        return base ^ (i * 0x9e3779b97f4a7c15L);
    }

    @Test
    void pagemapFindsTouchedPagesAndSkipsUntouchedOnes() {
        try (LiveProcess p = Fixture.start("pattern", "8"); Pagemap pm = Pagemap.open((int) p.pid())) {
            String out = p.stdout();
            long area = field(out, "AREA", 1);
            long len = field(out, "AREA", 2);
            long hole = field(out, "HOLE", 1);
            PageRuns touched = pm.existing(area, area + len);
            assertEquals(1, touched.count());
            assertEquals(len, touched.bytes());
            assertEquals(0, pm.existing(hole, hole + (1 << 20)).bytes(), "never touched, never read");
            long[] e = pm.entries(area, area + 4096 * 2);
            assertTrue(Pagemap.present(e[0]) && Pagemap.present(e[1]));
        }
    }

    @Test
    void readingGivesTheTargetsBytesIncludingProtNonePages() {
        try (LiveProcess p = Fixture.start("pattern", "8"); Tracer tracer = Tracer.start()) {
            tracer.seizeTree((int) p.pid());
            String out = p.stdout();
            long area = field(out, "AREA", 1);
            long len = field(out, "AREA", 2);
            long none = field(out, "NONE", 1);
            RemoteMemory mem = new RemoteMemory((int) p.pid());
            PageRuns runs = new PageRuns();
            runs.add(area, len);
            runs.add(none, 4096); // process_vm_readv cannot read it: /proc/PID/mem does
            ByteBuffer buf = ByteBuffer.allocateDirect((int) runs.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(runs.bytes(), mem.read(runs, buf));
            for (long i = 0; i < len / 8; i += 97) {
                assertEquals(word(area, i), buf.getLong((int) (i * 8)), "word " + i);
            }
            byte[] hidden = new byte[11];
            buf.position((int) len);
            buf.get(hidden);
            assertEquals("hidden page", new String(hidden, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void copyingToAFileWritesExactlyTheExistingPages(@TempDir Path dir) throws Exception {
        try (LiveProcess p = Fixture.start("pattern", "80"); Tracer tracer = Tracer.start();
                Pagemap pm = Pagemap.open((int) p.pid())) {
            tracer.seizeTree((int) p.pid());
            String out = p.stdout();
            long area = field(out, "AREA", 1);
            long len = field(out, "AREA", 2);
            long hole = field(out, "HOLE", 1);
            PageRuns runs = pm.existing(area, area + len);
            pm.addExisting(hole, hole + (1 << 20), runs);
            Path file = dir.resolve("pages.img");
            Files.write(file, new byte[4096]); // a header page the copy must keep
            assertEquals(len, new RemoteMemory((int) p.pid()).copyToFile(runs, file, 4096));
            assertEquals(4096 + len, Files.size(file));
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < len / 8; i += 1013) {
                assertEquals(word(area, i), b.getLong((int) (4096 + i * 8)), "word " + i);
            }
            assertEquals(word(area, len / 8 - 1), b.getLong((int) (4096 + len - 8)));

            Path streamed = dir.resolve("streamed.img");
            Files.write(streamed, new byte[4096]);
            assertEquals(len, new RemoteMemory((int) p.pid()).streamToFile(runs, streamed, 4096));
            assertEquals(-1, Files.mismatch(file, streamed), "both paths write the same bytes");
        }
    }

    @Test
    void writingReachesEvenReadOnlyPagesAndTheTargetSeesIt() {
        try (LiveProcess p = Fixture.start("pattern", "1")) {
            String out = p.stdout();
            long area = field(out, "AREA", 1);
            long ro = field(out, "RO", 1);
            RemoteMemory mem = new RemoteMemory((int) p.pid());
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree((int) p.pid());
                byte[] original = mem.read(area, 16);
                mem.write(area, original); // rewrite same bytes: the checksum must still hold
                mem.write(ro, "rewritten page\0".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("rewritten page".getBytes(StandardCharsets.US_ASCII), mem.read(ro, 14));
            }
            p.signal("USR1");
            String done = p.awaitOutput("PASS", Duration.ofSeconds(10));
            assertTrue(done.contains("rewritten page"), done);
        }
    }

    @Test
    void pipeDrainCopiesPagesByVmspliceAndLeavesNoFdOrMappingBehind(@TempDir Path dir) throws Exception {
        try (LiveProcess p = Fixture.start("pattern", "8")) {
            String out = p.stdout();
            long area = field(out, "AREA", 1);
            long len = field(out, "AREA", 2);
            int pid = (int) p.pid();
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                long fds;
                try (java.util.stream.Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    fds = s.count();
                }
                String maps = ProcView.maps(pid);
                GpRegs regs = tracer.gpRegs(pid);
                PageRuns runs = new PageRuns();
                runs.add(area, len / 2);
                runs.add(area + len / 2 + 4096, len / 2 - 4096); // two runs, one page skipped
                Path file = dir.resolve("pages.img");
                try (PipeDrain drain = PipeDrain.open(tracer, pid)) {
                    assertTrue(drain.pipeSize() >= 4096, "pipe size " + drain.pipeSize());
                    assertEquals(len - 4096, drain.copyToFile(runs, file, 8192));
                }
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(8192 + len - 4096, b.capacity());
                assertEquals(word(area, 0), b.getLong(8192));
                long firstAfterGap = (len / 2 + 4096) / 8;
                assertEquals(word(area, firstAfterGap), b.getLong((int) (8192 + len / 2)));
                assertEquals(word(area, len / 8 - 1), b.getLong(b.capacity() - 8));
                try (java.util.stream.Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    assertEquals(fds, s.count(), "pipe ends closed in the target");
                }
                assertEquals(maps, ProcView.maps(pid), "scratch page unmapped");
                assertEquals(regs, tracer.gpRegs(pid));
            }
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }
}
