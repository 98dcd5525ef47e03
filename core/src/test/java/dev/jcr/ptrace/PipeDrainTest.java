package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.sys.Linux;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.SparseFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-copy page mover on real processes: exact bytes at exact places, and nothing left behind. */
class PipeDrainTest {

    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private static void assertPage(ByteBuffer file, long fileOffset, long pageAddr) {
        for (int i = 0; i < PAGE / 8; i += 97) {
            assertEquals(SparseFixture.word(pageAddr, i), file.getLong((int) fileOffset + i * 8),
                    "word " + i + " of page 0x" + Long.toHexString(pageAddr) + " at file offset " + fileOffset);
        }
        assertEquals(SparseFixture.word(pageAddr, PAGE / 8 - 1), file.getLong((int) fileOffset + PAGE - 8));
    }

    private static long fdCount(long pid) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    private static ByteBuffer read(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void moreRunsThanOneVmspliceTakesAndRunsLongerThanThePipeArriveAtTheirOffsets() throws Exception {
        try (LiveProcess p = Fixture.start("sparse", "9", "3")) {
            int pid = (int) p.pid();
            long[] sparse = SparseFixture.area(p.stdout(), "SPARSE");
            long[] big = SparseFixture.area(p.stdout(), "BIG");
            long fds = fdCount(pid);
            String maps = ProcView.maps(pid);
            Path file = dir.resolve("pages.img");
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                GpRegs regs = tracer.gpRegs(pid);
                // 1152 one-page runs (more than IOV_MAX), each placed after a one-page gap in the file,
                // then the big run (longer than the pipe) at the end
                PageRuns runs = new PageRuns();
                int n = (int) (sparse[1] / (2 * PAGE));
                long[] at = new long[n + 1];
                for (int i = 0; i < n; i++) {
                    runs.add(sparse[0] + 2L * i * PAGE, PAGE);
                    at[i] = 2L * i * PAGE + PAGE;
                }
                runs.add(big[0], big[1]);
                at[n] = 2L * n * PAGE;
                assertEquals(n + 1, runs.count());
                try (PipeDrain d = PipeDrain.open(tracer, pid)) {
                    assertTrue(big[1] > d.pipeSize(), "the big run is longer than the pipe (" + d.pipeSize() + ")");
                    assertEquals(2, ProcView.tasks(pid).size(), "the helper thread runs in the process");
                    int fd = Linux.open(file.toString(), Linux.O_WRONLY | 0x40, 0600);
                    long[] progress = {0};
                    try {
                        assertEquals(runs.bytes(), d.copy(runs, at, fd, b -> progress[0] += b));
                    } finally {
                        Linux.close(fd);
                    }
                    assertEquals(runs.bytes(), progress[0]);
                }
                ByteBuffer b = read(file);
                assertEquals(2L * n * PAGE + big[1], b.capacity());
                for (int i = 0; i < n; i++) {
                    assertPage(b, at[i], sparse[0] + 2L * i * PAGE);
                    assertEquals(0, b.getLong((int) (at[i] - PAGE)), "the gap before run " + i + " stays untouched");
                }
                for (long o = 0; o < big[1]; o += PAGE) {
                    assertPage(b, at[n] + o, big[0] + o);
                }
                assertEquals(List.of(pid), ProcView.tasks(pid), "the helper thread is gone");
                assertEquals(fds, fdCount(pid), "the pipe's write end is closed in the process");
                assertEquals(maps, ProcView.maps(pid), "the helper's areas are unmapped");
                assertEquals(regs, tracer.gpRegs(pid), "the process's registers are untouched");
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(20)).contains("PASS"));
        }
    }

    @Test
    void aPageThatCannotBePinnedEndsTheDrainThereAndEverythingBeforeItIsCopied() throws Exception {
        try (LiveProcess p = Fixture.start("sparse", "1", "1")) {
            int pid = (int) p.pid();
            long[] big = SparseFixture.area(p.stdout(), "BIG");
            long[] mixed = SparseFixture.area(p.stdout(), "MIXED");
            long[] ro = SparseFixture.area(p.stdout(), "RO");
            long fds = fdCount(pid);
            String maps = ProcView.maps(pid);
            Path file = dir.resolve("pages.img");
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                // read-only page, big run, first mixed page, then the PROT_NONE one, then the third
                PageRuns runs = new PageRuns();
                runs.add(ro[0], PAGE);
                runs.add(big[0], big[1]);
                runs.add(mixed[0], 3 * PAGE);
                long before = PAGE + big[1] + PAGE;
                try (PipeDrain d = PipeDrain.open(tracer, pid)) {
                    assertEquals(before, d.copyToFile(runs, file, 0), "stops at the PROT_NONE page");
                }
                ByteBuffer b = read(file);
                assertPage(b, 0, ro[0]);
                assertPage(b, PAGE, big[0]);
                assertPage(b, PAGE + big[1] - PAGE, big[0] + big[1] - PAGE);
                assertPage(b, PAGE + big[1], mixed[0]);
                assertEquals(List.of(pid), ProcView.tasks(pid), "the helper thread is gone");
                assertEquals(fds, fdCount(pid));
                assertEquals(maps, ProcView.maps(pid));
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(20)).contains("PASS"));
        }
    }

    @Test
    void aDrainOpenedAndClosedUnusedLeavesNothingBehind() throws Exception {
        try (LiveProcess p = Fixture.start("sparse", "1", "1")) {
            int pid = (int) p.pid();
            long fds = fdCount(pid);
            String maps = ProcView.maps(pid);
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                GpRegs regs = tracer.gpRegs(pid);
                PipeDrain.open(tracer, pid).close();
                assertEquals(List.of(pid), ProcView.tasks(pid));
                assertEquals(fds, fdCount(pid));
                assertEquals(maps, ProcView.maps(pid));
                assertEquals(regs, tracer.gpRegs(pid));
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(20)).contains("PASS"));
        }
    }

    @Test
    void aProcessThatCannotMakeThePipeRefusesTheDrainAndIsLeftAsItWas() throws Exception {
        try (LiveProcess p = Fixture.start("sparse", "1", "1", "nofds")) {
            int pid = (int) p.pid();
            long fds = fdCount(pid);
            String maps = ProcView.maps(pid);
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                GpRegs regs = tracer.gpRegs(pid);
                RemoteSyscallException e = org.junit.jupiter.api.Assertions.assertThrows(RemoteSyscallException.class,
                        () -> PipeDrain.open(tracer, pid));
                assertTrue(e.getMessage().contains("pipe2"), e.getMessage());
                assertEquals(List.of(pid), ProcView.tasks(pid));
                assertEquals(fds, fdCount(pid));
                assertEquals(maps, ProcView.maps(pid), "the helper's area is unmapped again");
                assertEquals(regs, tracer.gpRegs(pid));
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(20)).contains("PASS"));
        }
    }

    @Test
    void jcrKilledWhileTheHelperWaitsOnAFullPipeLeavesTheProcessRunningWithoutHelperOrPipe() throws Exception {
        try (LiveProcess p = Fixture.start("sparse", "1", "16")) {
            int pid = (int) p.pid();
            long[] big = SparseFixture.area(p.stdout(), "BIG");
            long fds = fdCount(pid);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process jcr = new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                    DrainAndWait.class.getName(), Long.toString(pid), Long.toHexString(big[0]), Long.toHexString(big[1]),
                    dir.resolve("pages.img").toString()).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jcr.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                String all = "";
                while ((line = r.readLine()) != null && !line.startsWith("DRAINING")) {
                    all += line + "\n";
                }
                assertTrue(line != null, "the drain never started: " + all);
                assertEquals(2, ProcView.tasks(pid).size(), "the helper exists while draining");
            } finally {
                jcr.destroyForcibly(); // SIGKILL
                assertTrue(jcr.waitFor(20, TimeUnit.SECONDS));
            }
            // the kernel detaches everything; the helper's vmsplice fails (no reader) and it ends itself
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((ProcView.tracerPid(pid) != 0 || ProcView.tasks(pid).size() != 1 || fdCount(pid) != fds)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, ProcView.tracerPid(pid));
            assertEquals(List.of(pid), ProcView.tasks(pid), "the helper thread ended itself");
            assertEquals(fds, fdCount(pid), "and closed the pipe's write end");
            assertTrue(p.isAlive());
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            assertFalse(out.contains("FAIL"), out);
        }
    }
}
