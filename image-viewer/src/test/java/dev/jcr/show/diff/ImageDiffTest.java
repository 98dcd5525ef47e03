package dev.jcr.show.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.Vectors;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.RlimitEntry;
import dev.jcr.image.proto.SaEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.testing.DumpEdit;
import dev.jcr.show.testing.Show;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diff on copies of a real CRIU dump (the counter vector) edited with jcr's image library, so that
 * every difference is known: the diff must find exactly those and nothing else.
 */
class ImageDiffTest {

    static final int PID = 20104;

    @TempDir
    Path tmp;
    Path a;
    Path b;

    @BeforeEach
    void copies() {
        Path v = Vectors.root().resolve("counter");
        a = DumpEdit.copy(v, tmp.resolve("a"));
        b = DumpEdit.copy(v, tmp.resolve("b"));
    }

    @Test
    void identicalDumpsAreTheSameAndExitZero() {
        DiffReport r = ImageDiff.between(a, b);
        assertTrue(r.same(), r.toString());
        Show s = Show.run("diff", a.toString(), b.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("no differences"));
    }

    @Test
    void changedBytesOfOnePageAreFoundByContentWithTheirCount() {
        ProcessMemory.Run run = DumpEdit.presentRuns(b, PID).get(1);
        long page = run.vaddr() + (run.nrPages() - 1) * 4096;
        DumpEdit.poke(b, PID, page, 100, new byte[] {1, 2, 3});
        // make sure the bytes really change (a page may already hold 1,2,3 there)
        byte[] orig = new byte[3];
        try (ProcessMemory pm = ProcessMemory.open(a, PID)) {
            pm.page(page).orElseThrow().get(100, orig);
        }
        long expected = 0;
        for (int i = 0; i < 3; i++) {
            expected += orig[i] != (byte) (i + 1) ? 1 : 0;
        }
        assertTrue(expected > 0, "test setup: poke must change something");

        DiffReport r = ImageDiff.between(a, b);
        assertEquals(1, r.changed().size());
        ProcessDiff d = r.changed().get(0);
        PageDiff p = d.pages();
        assertEquals(1, p.changed());
        assertEquals(0, p.added());
        assertEquals(0, p.removed());
        assertEquals(expected, p.differingBytes());
        assertEquals(List.of(new PageDiff.Range(page, page + 4096, PageDiff.Kind.changed, expected, p.ranges().get(0).mapping())), p.ranges());
        assertEquals(DumpEdit.presentRuns(a, PID).stream().mapToLong(ProcessMemory.Run::nrPages).sum(), p.compared());
        // nothing else changed
        assertTrue(d.task().isEmpty() && d.threads().isEmpty() && d.fds().same() && d.memoryMap().same()
                && d.creds().isEmpty() && d.rlimits().isEmpty() && d.signals().isEmpty(), d.toString());
    }

    @Test
    void registersThatChangedAreNamedWithOldAndNewValues() {
        long[] ip = new long[1];
        DumpEdit.single(b, ImageKind.CORE, PID, CoreEntry.class, c -> {
            ip[0] = c.getThreadInfo().getGpregs().getIp();
            CoreEntry.Builder x = c.toBuilder();
            x.getThreadInfoBuilder().getGpregsBuilder().setIp(ip[0] + 0x10).setAx(42);
            x.getThreadInfoBuilder().getFpregsBuilder().setXmmSpace(5, 0x1234);
            return x.build();
        });
        DiffReport r = ImageDiff.between(a, b);
        ProcessDiff d = r.changed().get(0);
        assertEquals(1, d.threads().size());
        List<String> fields = d.threads().get(0).registers().stream().map(Change::field).toList();
        assertEquals(List.of("ax", "ip", "xmm1[1]"), fields.stream().sorted().toList());
        Change ipChange = d.threads().get(0).registers().stream().filter(c -> c.field().equals("ip")).findFirst().orElseThrow();
        assertEquals("0x" + Long.toHexString(ip[0]), ipChange.before());
        assertEquals("0x" + Long.toHexString(ip[0] + 0x10), ipChange.after());
        assertTrue(d.pages().same() && d.fds().same() && d.memoryMap().same());
    }

    @Test
    void fdPositionFlagsAddedAndClosedFdsAreReported() {
        DumpEdit.all(b, ImageKind.FILES, null, FileEntry.class, files -> {
            List<FileEntry> out = new ArrayList<>();
            for (FileEntry f : files) {
                if (f.hasReg() && f.getReg().getName().endsWith("counter.out")) {
                    FileEntry.Builder x = f.toBuilder();
                    x.getRegBuilder().setPos(f.getReg().getPos() + 100);
                    out.add(x.build());
                } else {
                    out.add(f);
                }
            }
            return out;
        });
        int filesId = dev.jcr.image.ImageDir.open(b).readSingle(ImageKind.IDS, PID, dev.jcr.image.proto.TaskKobjIdsEntry.class).getFilesId();
        DumpEdit.all(b, ImageKind.FDINFO, filesId, FdinfoEntry.class, fds -> {
            List<FdinfoEntry> out = new ArrayList<>();
            for (FdinfoEntry e : fds) {
                if (e.getFd() == 10) {
                    continue; // closed
                }
                out.add(e.getFd() == 0 ? e.toBuilder().setFlags(1).build() : e); // FD_CLOEXEC set on fd 0
            }
            out.add(fds.get(0).toBuilder().setFd(42).build()); // a dup of fd 0
            return out;
        });
        ProcessDiff d = ImageDiff.between(a, b).changed().get(0);
        ProcessDiff.FdDiff f = d.fds();
        assertEquals(List.of(42), f.added().stream().map(ProcessDiff.Fd::fd).toList());
        assertEquals(List.of(10), f.removed().stream().map(ProcessDiff.Fd::fd).toList());
        assertEquals(2, f.changed().size(), f.changed().toString());
        assertEquals(0, f.changed().get(0).fd());
        assertEquals(List.of(new Change("cloexec", "false", "true")), f.changed().get(0).changes());
        ProcessDiff.FdChange out = f.changed().get(1);
        assertTrue(out.name().endsWith("counter.out"));
        assertEquals(1, out.changes().size());
        Change pos = out.changes().get(0);
        assertEquals("pos", pos.field());
        assertEquals(Long.parseLong(pos.before()) + 100, Long.parseLong(pos.after()));
    }

    @Test
    void mappingsAddedRemovedAndGrownAreTold() {
        VmaEntry[] removed = new VmaEntry[1];
        DumpEdit.single(b, ImageKind.MM, PID, MmEntry.class, mm -> {
            MmEntry.Builder x = mm.toBuilder();
            List<VmaEntry> vmas = new ArrayList<>(mm.getVmasList());
            VmaEntry file = vmas.stream().filter(v -> (v.getStatus() & 0x40) != 0 && v.getProt() == 1).reduce((p, q) -> q).orElseThrow();
            removed[0] = file;
            vmas.remove(file);
            // a new anonymous private mapping below everything else
            vmas.add(0, VmaEntry.newBuilder().setStart(0x10000).setEnd(0x12000).setPgoff(0).setShmid(0).setProt(3)
                    .setFlags(0x22).setStatus(0x201).setFd(-1).build());
            x.clearVmas().addAllVmas(vmas);
            return x.build();
        });
        ProcessDiff.VmaDiff m = ImageDiff.between(a, b).changed().get(0).memoryMap();
        assertEquals(List.of(new ProcessDiff.Vma(0x10000, 0x12000, "rw-p", "")), m.added());
        assertEquals(1, m.removed().size());
        assertEquals(removed[0].getStart(), m.removed().get(0).start());
        assertTrue(m.removed().get(0).name().startsWith("/"), m.removed().get(0).name());
        assertTrue(m.changed().isEmpty(), m.changed().toString());
    }

    @Test
    void credsRlimitsSignalsAndCwdAreCompared() {
        DumpEdit.single(b, ImageKind.CORE, PID, CoreEntry.class, c -> {
            CoreEntry.Builder x = c.toBuilder();
            x.getThreadCoreBuilder().getCredsBuilder().setUid(1000).setEuid(1000);
            x.getTcBuilder().getRlimitsBuilder().setRlimits(7, RlimitEntry.newBuilder().setCur(256).setMax(4096));
            // entry 8 is SIGUSR1: CRIU leaves SIGKILL out of the list
            x.getTcBuilder().setSigactions(8, SaEntry.newBuilder().setSigaction(0x401234).setFlags(0x4000000)
                    .setRestorer(0x7f0000001000L).setMask(0));
            x.getTcBuilder().setBlkSigset(1L << 9);
            return x.build();
        });
        ProcessDiff d = ImageDiff.between(a, b).changed().get(0);
        assertEquals(List.of("uid", "euid"), d.creds().stream().map(Change::field).toList());
        assertEquals(List.of("NOFILE"), d.rlimits().stream().map(Change::field).toList());
        assertEquals("256 / 4096", d.rlimits().get(0).after());
        assertEquals(List.of("SIGUSR1", "blocked"), d.signals().stream().map(Change::field).toList());
        assertTrue(d.signals().get(0).after().startsWith("handler 0x401234"), d.signals().get(0).after());
        assertEquals("SIGUSR1", d.signals().get(1).after());
        assertTrue(d.task().isEmpty(), d.task().toString());
    }

    @Test
    void cwdChangeComparesPathsNotFileIds() {
        int cwdId = dev.jcr.image.ImageDir.open(b).readSingle(ImageKind.FS, PID, dev.jcr.image.proto.FsEntry.class).getCwdId();
        DumpEdit.all(b, ImageKind.FILES, null, FileEntry.class, files -> files.stream().map(f -> {
            if (f.getId() != cwdId) {
                return f;
            }
            FileEntry.Builder x = f.toBuilder();
            x.getRegBuilder().setName("/srv/elsewhere");
            return x.build();
        }).toList());
        ProcessDiff d = ImageDiff.between(a, b).changed().get(0);
        assertEquals(1, d.task().size(), d.task().toString());
        assertEquals("cwd", d.task().get(0).field());
        assertEquals("/srv/elsewhere", d.task().get(0).after());
    }

    @Test
    void processesAddedAndRemovedAreListedAndExitIsOne() {
        Path other = DumpEdit.copy(Vectors.root().resolve("pipetree"), tmp.resolve("c"));
        DiffReport r = ImageDiff.between(a, other);
        assertEquals(List.of(PID), r.removed().stream().map(DiffReport.Proc::pid).toList());
        assertEquals(2, r.added().size());
        Show s = Show.run("diff", a.toString(), other.toString());
        assertEquals(1, s.code());
        assertTrue(s.out().contains("- process " + PID + " counter"), s.out());
    }

    @Test
    void jsonAndTextAreDeterministicAndCarryTheSameFindings() throws Exception {
        ProcessMemory.Run run = DumpEdit.presentRuns(b, PID).get(0);
        DumpEdit.poke(b, PID, run.vaddr(), 0, new byte[] {(byte) 0xAA, (byte) 0x55, 0x11, 0x22});
        DumpEdit.single(b, ImageKind.CORE, PID, CoreEntry.class, c -> {
            CoreEntry.Builder x = c.toBuilder();
            x.getThreadInfoBuilder().getGpregsBuilder().setSp(c.getThreadInfo().getGpregs().getSp() - 64);
            return x.build();
        });
        Show j1 = Show.run("diff", "--json", a.toString(), b.toString());
        Show j2 = Show.run("diff", "--json", a.toString(), b.toString());
        assertEquals(1, j1.code(), j1.err());
        assertEquals(j1.out(), j2.out());
        JsonNode json = new ObjectMapper().readTree(j1.out());
        assertFalse(json.get("same").asBoolean());
        JsonNode proc = json.get("changed").get(0);
        assertEquals(PID, proc.get("pid").asInt());
        assertEquals(1, proc.get("pages").get("changed").asLong());
        assertEquals(run.vaddr(), proc.get("pages").get("ranges").get(0).get("start").asLong());
        assertEquals("sp", proc.get("threads").get(0).get("registers").get(0).get("field").asText());

        Show t = Show.run("diff", a.toString(), b.toString());
        assertEquals(1, t.code());
        assertTrue(t.out().contains("~ process " + PID + " counter"), t.out());
        assertTrue(t.out().contains(String.format("%x-%x", run.vaddr(), run.vaddr() + 4096)), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.trim().startsWith("~  sp")), t.out());
        assertFalse(t.out().contains("\u001b["));
    }

    /** Two changed pages of one file mapping, 0x3000 apart: each range names its own page's file offset. */
    @Test
    void changedPagesOfAFileMappingAreLabelledWithTheirOwnFileOffset() {
        MmEntry mm = dev.jcr.image.ImageDir.open(a).readSingle(ImageKind.MM, PID, MmEntry.class);
        VmaEntry libc = mm.getVmasList().stream()
                .filter(v -> v.getEnd() - v.getStart() == 4 * 4096 && (v.getStatus() & dev.jcr.show.model.FileNames.VMA_FILE_PRIVATE) != 0)
                .filter(v -> DumpEdit.presentRuns(a, PID).stream().anyMatch(r -> r.vaddr() <= v.getStart() && r.end() >= v.getEnd()))
                .findFirst().orElseThrow(() -> new AssertionError("the counter vector has libc's 4 dumped pages"));
        long first = libc.getStart();
        long last = libc.getStart() + 3 * 4096;
        DumpEdit.poke(b, PID, first, 8, new byte[] {(byte) 0xA5, 0x5A});
        DumpEdit.poke(b, PID, last, 8, new byte[] {(byte) 0xA5, 0x5A});
        List<PageDiff.Range> ranges = ImageDiff.between(a, b).changed().get(0).pages().ranges();
        assertEquals(2, ranges.size(), ranges.toString());
        String file = "/usr/lib/x86_64-linux-gnu/libc.so.6";
        assertEquals(String.format("%s + 0x%x", file, libc.getPgoff()), ranges.get(0).mapping());
        assertEquals(String.format("%s + 0x%x", file, libc.getPgoff() + 3 * 4096), ranges.get(1).mapping());
        // the memory map still names the mapping by its own offset
        assertTrue(Show.run("x", b.toString(), "mems").out().contains(String.format("%s + 0x%x%n", file, libc.getPgoff())));
    }

    /** The mapping holding mm's start_stack is the stack; without it a growing-down mapping is only a guess. */
    @Test
    void theMainStackIsNamedFromTheMmsStartStack() {
        MmEntry mm = dev.jcr.image.ImageDir.open(a).readSingle(ImageKind.MM, PID, MmEntry.class);
        VmaEntry stack = mm.getVmasList().stream()
                .filter(v -> mm.getMmStartStack() >= v.getStart() && mm.getMmStartStack() < v.getEnd()).findFirst().orElseThrow();
        dev.jcr.show.model.Dump d = dev.jcr.show.model.Dump.open(a);
        assertEquals("[stack]", d.names().vma(mm, stack));
        assertEquals("[stack?]", d.names().vma(stack), "without the mm, MAP_GROWSDOWN is all there is");
        String mems = Show.run("x", a.toString(), "mems").out();
        assertTrue(mems.contains("[stack]") && !mems.contains("[stack?]"), mems);
        DumpEdit.single(b, ImageKind.MM, PID, MmEntry.class, m -> m.toBuilder().setMmStartStack(0).build());
        assertTrue(Show.run("x", b.toString(), "mems").out().contains("[stack?]"));
    }

    /**
     * Vector registers are one line in text (how many of the thread's changed) unless --regs; the other
     * registers keep a line each, and JSON keeps every word.
     */
    @Test
    void vectorRegistersAreOneLineUnlessRegsAsks() {
        DumpEdit.single(b, ImageKind.CORE, PID, CoreEntry.class, c -> {
            CoreEntry.Builder x = c.toBuilder();
            x.getThreadInfoBuilder().getGpregsBuilder().setAx(c.getThreadInfo().getGpregs().getAx() + 1);
            var fp = x.getThreadInfoBuilder().getFpregsBuilder();
            fp.setXmmSpace(0, ~fp.getXmmSpace(0)).setXmmSpace(1, ~fp.getXmmSpace(1)); // xmm0, two words
            fp.getXsaveBuilder().setYmmhSpace(0, ~fp.getXsave().getYmmhSpace(0)); // ymm0: the same register
            fp.getXsaveBuilder().setZmmUpper(4, ~fp.getXsave().getZmmUpper(4)); // zmm1's upper half
            fp.getXsaveBuilder().setHi16Zmm(8, ~fp.getXsave().getHi16Zmm(8)); // zmm17
            fp.getXsaveBuilder().setOpmaskReg(2, ~fp.getXsave().getOpmaskReg(2)); // k2
            return x.build();
        });
        ProcessDiff.ThreadDiff t = ImageDiff.between(a, b).changed().get(0).threads().get(0);
        assertEquals(List.of("ax", "k2", "xmm0[0]", "xmm0[1]", "ymm0.hi[0]", "zmm1.hi[0]", "zmm17[0]"),
                t.registers().stream().map(Change::field).sorted().toList());
        assertEquals(16 + 16 + 8, t.vectorRegisters(), "xmm/ymm/zmm 0-15, zmm16-31, k0-7 in CRIU's AVX-512 image");

        Show text = Show.run("diff", a.toString(), b.toString());
        assertEquals(1, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+~\\s+ax\\s+.*→.*")), text.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s+~\\s+vector registers\\s+4 of 40 changed\\s+\\(jcr-show diff --regs shows each\\)")),
                text.out());
        assertFalse(text.out().contains("xmm0") || text.out().contains("zmm17") || text.out().contains("k2 "), text.out());

        Show each = Show.run("diff", "--regs", a.toString(), b.toString());
        for (String reg : List.of("xmm0[0]", "xmm0[1]", "ymm0.hi[0]", "zmm1.hi[0]", "zmm17[0]", "k2")) {
            assertTrue(each.out().contains(" " + reg + " "), reg + "\n" + each.out());
        }
        assertFalse(each.out().contains("vector registers"), each.out());
        assertTrue(Show.run("diff", "--json", a.toString(), b.toString()).out().contains("\"zmm17[0]\""));
    }
}
