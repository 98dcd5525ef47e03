package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PipeDataEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.SaEntry;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.image.ImageEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each ZDTM-shaped fixture is dumped, its images checked against what it printed, and it must still PASS. */
class DumpFixturesTest {

    static final int VMA_FILE_SHARED = 1 << 7;
    static final int VMA_FILE_PRIVATE = 1 << 6;

    @TempDir
    Path tmp;

    static DumpResult dump(LiveProcess p, Path dir) {
        return new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
    }

    /** "KEY value…" lines the fixture printed, by key (first word after the key for FD/MAP lines). */
    static Map<String, String> printed(LiveProcess p) {
        Map<String, String> m = new HashMap<>();
        for (String line : p.stdout().split("\n")) {
            String[] w = line.trim().split("\\s+", 2);
            if (w.length == 2) {
                m.put(w[0], w[1]);
                String[] kv = w[1].split("\\s+", 2);
                if (kv.length == 2) {
                    m.put(w[0] + " " + kv[0], kv[1]);
                }
            }
        }
        return m;
    }

    static void assertStillPasses(LiveProcess p) {
        p.signal("USR1");
        String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
        assertFalse(out.contains("FAIL"), out);
    }

    @Test
    void fourThreadsEachGetACoreImageAndKeepCounting() {
        try (LiveProcess p = Fixture.startWithFlags("threads", List.of("-pthread"))) {
            Path dir = tmp.resolve("img");
            DumpResult r = dump(p, dir);
            assertEquals(5, r.threads());
            ImageDir img = ImageDir.open(dir);
            PstreeEntry ps = img.readAll(ImageKind.PSTREE, null, PstreeEntry.class).get(0);
            assertEquals(5, ps.getThreadsCount());
            assertEquals((int) p.pid(), ps.getThreads(0), "leader first");
            for (int tid : ps.getThreadsList()) {
                CoreEntry c = img.readSingle(ImageKind.CORE, tid, CoreEntry.class);
                assertTrue(c.getThreadInfo().getGpregs().getFsBase() != 0, "thread " + tid + " has its TLS base");
                assertEquals(tid == p.pid(), c.hasTc(), "only the leader carries the task core");
                // workers were started with SIGUSR1 blocked
                if (tid != p.pid()) {
                    assertEquals(1L << 9, c.getThreadCore().getBlkSigset() & (1L << 9));
                }
            }
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertStillPasses(p);
        }
    }

    @Test
    void parentAndChildSharingAPipeWithDataInFlight() throws Exception {
        try (LiveProcess p = Fixture.start("pipepair")) {
            int child = Integer.parseInt(printed(p).get("CHILD"));
            Path dir = tmp.resolve("img");
            DumpResult r = dump(p, dir);
            assertEquals(List.of((int) p.pid(), child), r.pids());
            ImageDir img = ImageDir.open(dir);
            List<PstreeEntry> ps = img.readAll(ImageKind.PSTREE, null, PstreeEntry.class);
            assertEquals((int) p.pid(), ps.get(1).getPpid());

            List<ImageEntry> data = img.read(ImageKind.PIPES_DATA, null);
            byte[] want = new byte[4000];
            for (int i = 0; i < want.length; i++) {
                want[i] = (byte) ('a' + i % 26);
            }
            ImageEntry withData = data.stream().filter(e -> ((PipeDataEntry) e.message()).getBytes() == 4000)
                    .findFirst().orElseThrow(() -> new AssertionError("no pipe with the 4000 bytes: " + data));
            assertArrayEquals(want, withData.extra());
            int pipeId = ((PipeDataEntry) withData.message()).getPipeId();
            assertEquals(1, data.stream().filter(e -> ((PipeDataEntry) e.message()).getPipeId() == pipeId).count(),
                    "a pipe shared by two processes is recorded once");

            // both processes hold an end of that pipe, each in its own fd table
            Map<Integer, FileEntry> files = files(img);
            for (int pid : r.pids()) {
                TaskKobjIdsEntry ids = img.readSingle(ImageKind.IDS, pid, TaskKobjIdsEntry.class);
                boolean holds = img.readAll(ImageKind.FDINFO, ids.getFilesId(), FdinfoEntry.class).stream()
                        .anyMatch(f -> f.getType() == FdTypes.PIPE && files.get(f.getId()).getPipe().getPipeId() == pipeId);
                assertTrue(holds, "process " + pid + " holds an end of the pipe");
            }
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertTrue(Crit.run("x", dir.toString(), "ps").contains(Integer.toString(child)));
            assertStillPasses(p);
        }
    }

    @Test
    void openFilesAtOffsetsAndSharedAndPrivateFileMappings() {
        try (LiveProcess p = Fixture.start("mapfiles", tmp.toString())) {
            Map<String, String> out = printed(p);
            Path dir = tmp.resolve("img");
            dump(p, dir);
            ImageDir img = ImageDir.open(dir);
            int pid = (int) p.pid();
            Map<Integer, FileEntry> files = files(img);
            TaskKobjIdsEntry ids = img.readSingle(ImageKind.IDS, pid, TaskKobjIdsEntry.class);
            Map<Integer, FdinfoEntry> fds = new HashMap<>();
            img.readAll(ImageKind.FDINFO, ids.getFilesId(), FdinfoEntry.class).forEach(f -> fds.put(f.getFd(), f));
            FdinfoEntry data = fds.get(Integer.parseInt(out.get("FD data")));
            FdinfoEntry dup = fds.get(Integer.parseInt(out.get("FD dup")));
            assertEquals(data.getId(), dup.getId(), "a dup shares the open file description, so its entry");
            assertEquals(1234, files.get(data.getId()).getReg().getPos());
            assertTrue(files.get(data.getId()).getReg().getName().endsWith("/data"));
            FileEntry log = files.get(fds.get(Integer.parseInt(out.get("FD log"))).getId());
            assertEquals(77, log.getReg().getPos());
            assertEquals(01 | 02000, log.getReg().getFlags() & (03 | 02000), "O_WRONLY|O_APPEND kept");

            MmEntry mm = img.readSingle(ImageKind.MM, pid, MmEntry.class);
            long shared = Long.parseUnsignedLong(out.get("MAP shared"), 16);
            long priv = Long.parseUnsignedLong(out.get("MAP private"), 16);
            VmaEntry sv = vmaAt(mm, shared);
            VmaEntry pv = vmaAt(mm, priv);
            assertEquals(VMA_FILE_SHARED, sv.getStatus() & VMA_FILE_SHARED);
            assertEquals(VMA_FILE_PRIVATE, pv.getStatus() & VMA_FILE_PRIVATE);
            assertTrue(files.get((int) sv.getShmid()).getReg().getName().endsWith("/shared"));
            assertEquals(2, sv.getFdflags() & 3, "a writable shared mapping is reopened O_RDWR");
            try (ProcessMemory mem = img.memory(pid)) {
                assertTrue(mem.page(shared).isEmpty(), "shared file pages live in the file");
                ByteBuffer page0 = mem.page(priv).orElseThrow(() -> new AssertionError("written private page missing"));
                byte[] head = new byte[12];
                page0.get(head);
                assertEquals("private copy", new String(head));
                assertTrue(mem.page(priv + 4096).isEmpty(), "an unwritten private page is the file's");
            }
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertStillPasses(p);
        }
    }

    @Test
    void signalHandlersMaskAltstackTimersAndPendingSignals() {
        try (LiveProcess p = Fixture.start("sigstate")) {
            Map<String, String> out = printed(p);
            Path dir = tmp.resolve("img");
            dump(p, dir);
            CoreEntry core = ImageDir.open(dir).readSingle(ImageKind.CORE, (int) p.pid(), CoreEntry.class);
            TaskCoreEntry tc = core.getTc();
            ThreadCoreEntry th = core.getThreadCore();
            String[] sa = out.get("SA").split(" ");
            SaEntry usr2 = tc.getSigactions(sigactionIndex(12));
            assertEquals(Long.parseUnsignedLong(sa[1], 16), usr2.getSigaction());
            assertEquals(Long.parseUnsignedLong(sa[2], 16), usr2.getFlags());
            assertEquals(Long.parseUnsignedLong(sa[4], 16), usr2.getMask());
            assertEquals(1, tc.getSigactions(sigactionIndex(15)).getSigaction(), "SIGTERM ignored");
            String[] alt = out.get("ALTSTACK").split(" ");
            assertEquals(Long.parseUnsignedLong(alt[0], 16), th.getSas().getSsSp());
            assertEquals(Long.parseUnsignedLong(alt[2], 16), th.getSas().getSsSize());
            assertEquals(Long.parseUnsignedLong(out.get("TIDADDR"), 16), core.getThreadInfo().getClearTidAddr());
            assertEquals(Long.parseUnsignedLong(out.get("BLOCKED"), 16), th.getBlkSigset());
            assertEquals(th.getBlkSigset(), tc.getBlkSigset());
            assertEquals(5, th.getSchedNice());
            if (out.containsKey("RSEQ")) {
                assertEquals(Long.parseUnsignedLong(out.get("RSEQ"), 16), th.getRseqEntry().getRseqAbiPointer());
            }
            assertEquals(1000, tc.getTimers().getReal().getIsec());
            assertEquals(1, tc.getTimers().getPosixCount());
            assertEquals(7, tc.getTimers().getPosix(0).getIsec());
            int rtmin = Integer.parseInt(out.get("SIGRTMIN"));
            assertEquals(List.of(28), signos(th.getSignalsP().getSignalsList()), "SIGWINCH pending for the thread");
            assertTrue(signos(tc.getSignalsS().getSignalsList()).containsAll(List.of(1, rtmin)),
                    "SIGHUP and SIGRTMIN pending for the process");
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertStillPasses(p);
        }
    }

    @Test
    void vectorRegistersAreInTheCoreImage() {
        try (LiveProcess p = dev.jcr.ptrace.FpuStateTestAccess.startFpu()) {
            Path dir = tmp.resolve("img");
            dump(p, dir);
            CoreEntry core = ImageDir.open(dir).readSingle(ImageKind.CORE, (int) p.pid(), CoreEntry.class);
            var fp = core.getThreadInfo().getFpregs();
            ByteBuffer xmm = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            fp.getXmmSpaceList().forEach(xmm::putInt);
            ByteBuffer ymmh = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            fp.getXsave().getYmmhSpaceList().forEach(ymmh::putInt);
            for (int r = 0; r < 16; r++) {
                byte[] want = dev.jcr.ptrace.FpuStateTestAccess.expectedYmm(r);
                byte[] low = new byte[16];
                byte[] high = new byte[16];
                xmm.get(16 * r, low);
                ymmh.get(16 * r, high);
                assertArrayEquals(java.util.Arrays.copyOfRange(want, 0, 16), low, "xmm" + r);
                assertArrayEquals(java.util.Arrays.copyOfRange(want, 16, 32), high, "upper half of ymm" + r);
            }
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertStillPasses(p);
        }
    }

    @Test
    void aMemoryPatternOf256MiBIsCopiedPageForPage() {
        try (LiveProcess p = Fixture.start("pattern", "256")) {
            Map<String, String> out = printed(p);
            Path dir = tmp.resolve("img");
            DumpResult r = dump(p, dir);
            String[] area = out.get("AREA").split(" ");
            long base = Long.parseUnsignedLong(area[0], 16);
            long len = Long.parseUnsignedLong(area[1], 16);
            long hole = Long.parseUnsignedLong(out.get("HOLE").split(" ")[0], 16);
            assertTrue(r.stats().pagesWritten() >= len / 4096);
            try (ProcessMemory mem = ImageDir.open(dir).memory((int) p.pid())) {
                for (long off = 0; off < len; off += len / 64 + 4096 * 7) {
                    long page = base + (off & ~4095L);
                    ByteBuffer b = mem.page(page).orElseThrow(() -> new AssertionError("page missing"))
                            .order(ByteOrder.LITTLE_ENDIAN);
                    for (int w = 0; w < 512; w += 97) {
                        long i = (page - base) / 8 + w;
                        assertEquals(base ^ (i * 0x9e3779b97f4a7c15L), b.getLong(w * 8), "word " + i);
                    }
                }
                assertTrue(mem.page(hole).isEmpty(), "untouched memory is not dumped");
                ByteBuffer ro = mem.page(Long.parseUnsignedLong(out.get("RO"), 16)).orElseThrow();
                byte[] text = new byte[14];
                ro.get(text);
                assertEquals("read-only page", new String(text));
                ByteBuffer none = mem.page(Long.parseUnsignedLong(out.get("NONE"), 16)).orElseThrow();
                byte[] hidden = new byte[11];
                none.get(hidden);
                assertEquals("hidden page", new String(hidden), "a PROT_NONE page is read through /proc/PID/mem");
            }
            Crit.assumeAvailable();
            Crit.run("x", dir.toString(), "mems");
            assertStillPasses(p);
        }
    }

    @Test
    void aPythonInterpreterKeepsRunningAfterTheDump() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        dev.jcr.testing.Need.tool(python, "python3");
        String prog = "import time,sys\nprint('READY', flush=True)\nn=0\nwhile True:\n"
                + "    n+=1\n    time.sleep(0.01)\n    if n % 10 == 0: print('TICK', n, flush=True)\n";
        try (LiveProcess p = LiveProcess.startCommand(List.of(python.toString(), "-c", prog), Duration.ofSeconds(20),
                "READY")) {
            Path dir = tmp.resolve("img");
            dump(p, dir);
            int ticks = p.stdout().split("TICK").length;
            p.awaitOutput("TICK " + (ticks + 3) * 10, Duration.ofSeconds(10));
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            Crit.run("x", dir.toString(), "mems");
        }
    }

    @Test
    void aSmallJavaProgramIsDumpedOrRefusedAsCheckSays() throws Exception {
        Path src = tmp.resolve("Tick.java");
        java.nio.file.Files.writeString(src, "public class Tick { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"READY\"); long n = 0; while (true) { n++; Thread.sleep(10);"
                + " if (n % 10 == 0) System.out.println(\"TICK \" + n); } } }");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (LiveProcess p = LiveProcess.startCommand(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                src.toString()), Duration.ofSeconds(60), "READY")) {
            Path dir = tmp.resolve("img");
            boolean checkable = new DumpEngine().check((int) p.pid(), Set.of()).checkpointable();
            try {
                DumpResult r = dump(p, dir);
                assertTrue(checkable, "dump succeeded although check said no");
                assertTrue(r.threads() > 5, "a JVM has many threads: " + r.threads());
                int ticks = p.stdout().split("TICK").length;
                p.awaitOutput("TICK " + (ticks + 3) * 10, Duration.ofSeconds(10));
                Crit.assumeAvailable();
                Crit.decodeAll(dir);
            } catch (UnsupportedTreeException e) {
                assertFalse(checkable, "check said yes but dump refused: " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static Map<Integer, FileEntry> files(ImageDir img) {
        Map<Integer, FileEntry> m = new HashMap<>();
        img.readAll(ImageKind.FILES, null, FileEntry.class).forEach(f -> m.put(f.getId(), f));
        return m;
    }

    static VmaEntry vmaAt(MmEntry mm, long addr) {
        Optional<VmaEntry> v = mm.getVmasList().stream().filter(x -> x.getStart() <= addr && addr < x.getEnd()).findFirst();
        return v.orElseThrow(() -> new AssertionError("no vma at " + Long.toHexString(addr)));
    }

    /** Index of signal SIG in tc.sigactions (1..64 without SIGKILL 9 and SIGSTOP 19). */
    static int sigactionIndex(int sig) {
        return sig - 1 - (sig > 9 ? 1 : 0) - (sig > 19 ? 1 : 0);
    }

    static List<Integer> signos(List<SiginfoEntry> l) {
        return l.stream().map(s -> (int) s.getSiginfo().byteAt(0) & 0xff).toList();
    }
}
