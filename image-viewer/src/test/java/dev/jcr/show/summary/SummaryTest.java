package dev.jcr.show.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.Vectors;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FownEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.explore.SkView;
import dev.jcr.show.model.Dump;
import dev.jcr.show.testing.DumpEdit;
import dev.jcr.show.testing.Show;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary and the socket view on real CRIU dumps, and on one given sockets and a pidfd with the image library. */
class SummaryTest {

    static final int PID = 20104;

    @TempDir
    Path tmp;

    @Test
    void summaryOfARealDumpAddsUpProcessesMemoryFilesAndImages() throws Exception {
        Path dir = Vectors.root().resolve("threads");
        Summary s = Summary.of(dir);
        assertEquals(1, s.processCount());
        assertEquals(5, s.threadCount());
        long pagesBytes = 0;
        long all = 0;
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                all += Files.size(f);
                n++;
                if (f.getFileName().toString().startsWith("pages-")) {
                    pagesBytes += Files.size(f);
                }
            }
        }
        assertEquals(pagesBytes, s.memory().dumpedBytes());
        assertEquals(all, s.images().bytes());
        assertEquals(n, s.images().files());
        assertEquals(pagesBytes, s.images().bytesByKind().get("pages"));
        assertEquals("pages", s.images().bytesByKind().keySet().iterator().next(), "largest first");
        assertTrue(s.memory().mappedBytes() > s.memory().dumpedBytes());
        assertNotNull(s.stats());
        assertEquals(s.memory().dumpedPages(), s.stats().pagesWritten());
        assertTrue(s.blockers().isEmpty(), s.blockers().toString());
        assertEquals(s.files().fds(), s.processes().get(0).fds());
    }

    @Test
    void summaryCommandFitsOneScreen() {
        Show s = Show.run("summary", Vectors.root().resolve("pipetree").toString());
        assertEquals(0, s.code(), s.err());
        List<String> lines = s.out().lines().toList();
        assertTrue(lines.size() <= 24, s.out());
        assertTrue(lines.stream().allMatch(l -> l.length() <= 160), s.out());
        assertTrue(s.out().contains("2 processes, 2 threads"), s.out());
        assertTrue(s.out().contains("nothing in these images stands in jcr's way"), s.out());
    }

    @Test
    void socketsAndUnsupportedFilesAndMappingsAreShownAndNamedAsBlockers() {
        Path dir = DumpEdit.copy(Vectors.root().resolve("counter"), tmp.resolve("d"));
        FownEntry fown = FownEntry.newBuilder().setUid(0).setEuid(0).setSignum(0).setPidType(0).setPid(0).build();
        SkOptsEntry opts = SkOptsEntry.newBuilder().setSoSndbuf(4096).setSoRcvbuf(4096).setSoSndTmoSec(0).setSoSndTmoUsec(0)
                .setSoRcvTmoSec(0).setSoRcvTmoUsec(0).build();
        DumpEdit.all(dir, ImageKind.FILES, null, FileEntry.class, files -> {
            List<FileEntry> out = new ArrayList<>(files);
            out.add(FileEntry.newBuilder().setType(FdTypes.UNIXSK).setId(100).setUsk(UnixSkEntry.newBuilder().setId(100)
                    .setIno(5555).setType(1).setState(10).setFlags(0).setUflags(0).setBacklog(5).setPeer(0).setFown(fown)
                    .setOpts(opts).setName(ByteString.copyFrom("/run/test.sock", StandardCharsets.UTF_8))).build());
            out.add(FileEntry.newBuilder().setType(FdTypes.INETSK).setId(101).setIsk(InetSkEntry.newBuilder().setId(101)
                    .setIno(6666).setFamily(2).setType(1).setProto(6).setState(10).setSrcPort(8080).setDstPort(0).setFlags(0)
                    .setBacklog(128).addSrcAddr(0x0100007f).addDstAddr(0).setFown(fown).setOpts(opts)).build());
            out.add(FileEntry.newBuilder().setType(FdTypes.PIDFD).setId(102).build());
            return out;
        });
        int filesId = ImageDir.open(dir).readSingle(ImageKind.IDS, PID, TaskKobjIdsEntry.class).getFilesId();
        DumpEdit.all(dir, ImageKind.FDINFO, filesId, FdinfoEntry.class, fds -> {
            List<FdinfoEntry> out = new ArrayList<>(fds);
            out.add(FdinfoEntry.newBuilder().setId(100).setFlags(0).setType(FdTypes.UNIXSK).setFd(20).build());
            out.add(FdinfoEntry.newBuilder().setId(101).setFlags(0).setType(FdTypes.INETSK).setFd(21).build());
            out.add(FdinfoEntry.newBuilder().setId(102).setFlags(0).setType(FdTypes.PIDFD).setFd(22).build());
            return out;
        });
        DumpEdit.single(dir, ImageKind.MM, PID, MmEntry.class, mm -> mm.toBuilder().addVmas(0, VmaEntry.newBuilder()
                .setStart(0x10000).setEnd(0x11000).setPgoff(0).setShmid(0).setProt(3).setFlags(0x22)
                .setStatus(0x201 | (1 << 31)).setFd(-1)).build());

        SkView sk = SkView.of(Dump.open(dir));
        assertEquals(2, sk.sockets().size());
        SkView.Socket tcp = sk.sockets().get(0);
        assertEquals("inet", tcp.family());
        assertEquals("tcp", tcp.type());
        assertEquals("LISTEN", tcp.state());
        assertEquals("127.0.0.1:8080", tcp.local());
        assertEquals(List.of(PID + ":21"), tcp.holders());
        SkView.Socket unix = sk.sockets().get(1);
        assertEquals("/run/test.sock", unix.local());
        assertEquals("stream", unix.type());
        assertEquals(5555, unix.ino());

        Summary s = Summary.of(dir);
        assertEquals(2, s.sockets());
        List<String> where = s.blockers().stream().map(Restorability.Blocker::where).toList();
        // the unix socket (fd 20) and the TCP listener (fd 21) are restorable: only the pidfd and the mapping block
        assertEquals(List.of(PID + " fd 22", PID + " vma 10000-11000"), where);
        assertTrue(s.blockers().get(0).what().startsWith("pidfd"), s.blockers().get(0).what());
        assertTrue(s.blockers().get(1).why().contains("VMA_UNSUPP"));

        Show text = Show.run("summary", dir.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("2 things jcr cannot restore"), text.out());
        Show x = Show.run("x", dir.toString(), "sk");
        assertTrue(x.out().contains("127.0.0.1:8080"), x.out());
        assertTrue(x.out().contains("/run/test.sock"), x.out());
    }

    @Test
    void aZombieHasNoMemoryOrFdsAndEveryViewStillWorks() throws Exception {
        Path dir = DumpEdit.copy(Vectors.root().resolve("pipetree"), tmp.resolve("z"));
        int child = 20125;
        DumpEdit.single(dir, ImageKind.CORE, child, dev.jcr.image.proto.CoreEntry.class, c -> {
            dev.jcr.image.proto.CoreEntry.Builder x = c.toBuilder();
            x.getTcBuilder().setTaskState(6);
            return x.build();
        });
        int filesId = ImageDir.open(dir).readSingle(ImageKind.IDS, child, TaskKobjIdsEntry.class).getFilesId();
        int pagesId;
        try (dev.jcr.image.ProcessMemory m = dev.jcr.image.ProcessMemory.open(dir, child)) {
            pagesId = m.pagesId();
        }
        for (String f : List.of("ids-" + child + ".img", "mm-" + child + ".img", "fs-" + child + ".img",
                "pagemap-" + child + ".img", "fdinfo-" + filesId + ".img", "pages-" + pagesId + ".img")) {
            Files.delete(dir.resolve(f));
        }
        for (String[] args : List.of(new String[] {"x", dir.toString(), "ps"}, new String[] {"x", dir.toString(), "fds"},
                new String[] {"x", dir.toString(), "mems"}, new String[] {"x", dir.toString(), "rss"},
                new String[] {"summary", dir.toString()})) {
            Show s = Show.run(args);
            assertEquals(0, s.code(), String.join(" ", args) + ": " + s.err());
        }
        assertTrue(Show.run("x", dir.toString(), "ps").out().contains("zombie"));
        Summary s = Summary.of(dir);
        assertEquals(0, s.processes().get(1).fds());
        assertEquals(0, s.processes().get(1).vmas());
        Show d = Show.run("diff", Vectors.root().resolve("pipetree").toString(), dir.toString());
        assertEquals(1, d.code(), d.err());
        assertTrue(d.out().contains("state") && d.out().contains("zombie"), d.out());
    }

    /**
     * A --shell-job dump (its stdio on a terminal, its session leader not dumped) is restorable with
     * --shell-job: the summary says so instead of calling the terminal fds unrestorable.
     */
    @Test
    void aShellJobDumpIsRestorableWithShellJob() throws Exception {
        Path dir = DumpEdit.copy(Vectors.root().resolve("counter"), tmp.resolve("sj"));
        int filesId = ImageDir.open(dir).readSingle(ImageKind.IDS, PID, TaskKobjIdsEntry.class).getFilesId();
        DumpEdit.all(dir, ImageKind.FILES, null, FileEntry.class, files -> {
            List<FileEntry> out = new ArrayList<>(files);
            out.add(FileEntry.newBuilder().setId(300).setType(FdTypes.REG).setReg(dev.jcr.image.proto.RegFileEntry.newBuilder()
                    .setId(300).setFlags(2).setPos(0).setName("/dev/pts/3").setMode(0020620)
                    .setFown(FownEntry.newBuilder().setUid(0).setEuid(0).setSignum(0).setPidType(0).setPid(0))).build());
            return out;
        });
        DumpEdit.all(dir, ImageKind.FDINFO, filesId, FdinfoEntry.class, fds -> {
            List<FdinfoEntry> out = new ArrayList<>(fds);
            out.add(FdinfoEntry.newBuilder().setId(300).setFlags(0).setType(FdTypes.REG).setFd(30).build());
            return out;
        });
        DumpEdit.all(dir, ImageKind.PSTREE, null, dev.jcr.image.proto.PstreeEntry.class,
                ps -> List.of(ps.get(0).toBuilder().setSid(4242).build()));

        Summary s = Summary.of(dir);
        assertEquals(List.of(PID + " session", PID + " fd 30"), s.blockers().stream().map(Restorability.Blocker::where).toList());
        assertTrue(s.blockers().stream().allMatch(b -> "--shell-job".equals(b.option()) && b.verdict().equals("NEEDS_OPTION")),
                s.blockers().toString());
        assertEquals("terminal /dev/pts/3", s.blockers().get(1).what());
        Show text = Show.run("summary", dir.toString());
        assertTrue(text.out().contains("Restore      restorable with --shell-job (jcr restore --shell-job -D " + dir + "):"), text.out());
        assertTrue(text.out().contains("needs --shell-job"), text.out());
        assertFalse(text.out().contains("cannot restore") || text.out().contains("unsupported"), text.out());
        assertTrue(Show.run("summary", "--json", dir.toString()).out().contains("\"option\" : \"--shell-job\""));
    }
}
