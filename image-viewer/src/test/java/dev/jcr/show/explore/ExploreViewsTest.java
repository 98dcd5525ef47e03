package dev.jcr.show.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.Vectors;
import dev.jcr.show.model.Dump;
import dev.jcr.show.testing.Crit;
import dev.jcr.show.testing.Show;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.show.testing.DumpEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The explorer views on CRIU 4.2's own images, checked against what crit's explorer prints. */
class ExploreViewsTest {

    static Path vector(String name) {
        return Vectors.root().resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"counter", "pipetree", "threads", "memhog16", "python"})
    void psListsTheSameProcessesAsCritInTreeOrder(String name) {
        Path dir = vector(name);
        assertEquals(critPs(dir), ourPs(dir));
    }

    static List<String> critPs(Path dir) {
        List<String> crit = new ArrayList<>();
        for (String line : Crit.run("x", dir.toString(), "ps").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].matches("\\d+")) {
                crit.add(f[0] + " " + f[1] + " " + f[2] + " " + f[3]);
            }
        }
        return crit;
    }

    static List<String> ourPs(Path dir) {
        PsView v = PsView.of(Dump.open(dir));
        return v.rows().stream().map(r -> r.pid() + " " + r.pgid() + " " + r.sid() + " " + r.comm()).toList();
    }

    @Test
    void psShowsThreadsAndNestsChildren() {
        PsView threads = PsView.of(Dump.open(vector("threads")));
        assertEquals(5, threads.rows().get(0).threads());
        PsView tree = PsView.of(Dump.open(vector("pipetree")));
        assertEquals(List.of(0, 1), tree.rows().stream().map(PsView.Row::depth).toList());
        assertEquals(tree.rows().get(0).pid(), tree.rows().get(1).ppid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"counter", "pipetree", "threads", "python"})
    void fdsNameTheSameTargetsAsCrit(String name) {
        Path dir = vector(name);
        assertEquals(critFds(dir), ourFds(dir));
    }

    static Map<String, String> critFds(Path dir) {
        Map<String, String> crit = new TreeMap<>();
        String pid = null;
        for (String line : Crit.run("x", dir.toString(), "fds").split("\n")) {
            if (line.matches("\\d+")) {
                pid = line;
            } else if (!line.isBlank()) {
                String[] kv = line.trim().split(": ", 2);
                crit.put(pid + " " + kv[0], kv[1]);
            }
        }
        return crit;
    }

    static Map<String, String> ourFds(Path dir) {
        Map<String, String> ours = new TreeMap<>();
        for (FdsView.Process p : FdsView.of(Dump.open(dir)).processes()) {
            p.fds().forEach(fd -> ours.put(p.pid() + " " + fd.fd(), fd.name()));
            ours.put(p.pid() + " cwd", p.cwd());
            ours.put(p.pid() + " root", p.root());
        }
        return ours;
    }

    @Test
    void fdsShowPositionAndFlagsOfRegularFiles() {
        FdsView v = FdsView.of(Dump.open(vector("counter")));
        FdsView.Fd out = v.processes().get(0).fds().stream().filter(f -> f.name().endsWith("counter.out")).findFirst().orElseThrow();
        assertTrue(out.flags().contains("O_APPEND"), out.flags());
        assertTrue(out.pos() > 0, "the counter has written to its output: " + out.pos());
    }

    private static final Pattern CRIT_VMA = Pattern.compile("\\s*([0-9a-f]+)-([0-9a-f]+)\\s+([r-][w-][x-])(?: (.*))?");

    @ParameterizedTest
    @ValueSource(strings = {"counter", "pipetree", "threads", "memhog16", "python"})
    void memsListTheSameMappingsProtectionsAndFilesAsCrit(String name) {
        Path dir = vector(name);
        assertEquals(critMems(dir), ourMems(dir));
    }

    static Map<String, List<String>> critMems(Path dir) {
        Map<String, List<String>> crit = new LinkedHashMap<>();
        String pid = null;
        for (String line : Crit.run("x", dir.toString(), "mems").split("\n")) {
            Matcher m = CRIT_VMA.matcher(line);
            if (line.matches("\\d+")) {
                pid = line;
                crit.put(pid, new ArrayList<>());
            } else if (m.matches()) {
                String fn = m.group(4) == null ? "" : m.group(4).replace(" *", "");
                // crit names only files, [stack], [vdso], [vsyscall]; jcr also names [heap] and [vvar]
                boolean file = fn.startsWith("/");
                crit.get(pid).add(Long.parseUnsignedLong(m.group(1), 16) + "-" + Long.parseUnsignedLong(m.group(2), 16)
                        + " " + m.group(3) + (file ? " " + fn : ""));
            }
        }
        return crit;
    }

    static Map<String, List<String>> ourMems(Path dir) {
        Map<String, List<String>> ours = new LinkedHashMap<>();
        for (MemsView.Process p : MemsView.of(Dump.open(dir)).processes()) {
            ours.put(Integer.toString(p.pid()), p.vmas().stream().map(v -> v.start() + "-" + v.end() + " "
                    + v.prot().substring(0, 3) + (v.name().startsWith("/") ? " " + v.name() : "")).toList());
        }
        return ours;
    }

    @ParameterizedTest
    @ValueSource(strings = {"counter", "pipetree", "threads", "memhog16", "python"})
    void rssAccountsForEveryPageOfThePagesFiles(String name) throws Exception {
        Path dir = vector(name);
        RssView v = RssView.of(Dump.open(dir));
        long pages = v.processes().stream().mapToLong(RssView.Process::presentPages).sum();
        long bytes = 0;
        try (var s = Files.list(dir)) {
            for (Path f : s.filter(f -> f.getFileName().toString().startsWith("pages-")).toList()) {
                bytes += Files.size(f);
            }
        }
        assertEquals(bytes / 4096, pages);
        MemsView mems = MemsView.of(Dump.open(dir));
        assertEquals(pages, mems.processes().stream().mapToLong(MemsView.Process::dumpedPages).sum(),
                "every dumped page lies inside a mapping");
        for (RssView.Process p : v.processes()) {
            for (RssView.Run r : p.runs()) {
                assertFalse(r.vmas().isEmpty(), "run at " + Long.toHexString(r.vaddr()) + " lies in a mapping");
            }
        }
    }

    @Test
    void memsOfMemhogShowsItsSixteenMegabytesDumpedInOneMapping() {
        // CRIU writes at most 256 pages per pagemap run; the mapping still holds all 4096
        MemsView v = MemsView.of(Dump.open(vector("memhog16")));
        long biggest = v.processes().get(0).vmas().stream().mapToLong(MemsView.Vma::dumpedPages).max().orElse(0);
        assertTrue(biggest >= 4096, "16 MiB = 4096 pages in one mapping, got " + biggest);
    }

    @Test
    void commandPrintsAlignedColumnsWithoutColourWhenNotATerminal() {
        Show s = Show.run("x", vector("pipetree").toString(), "mems");
        assertEquals(0, s.code(), s.err());
        assertFalse(s.out().contains("\u001b["), "no escape codes in a pipe");
        List<String> rows = s.out().lines().filter(l -> l.matches("\\s+[0-9a-f]{12,}\\s.*")).toList();
        assertTrue(rows.size() > 10);
        Pattern prot = Pattern.compile("  [r-][w-][x-][ps]  ");
        Matcher first = prot.matcher(rows.get(0));
        assertTrue(first.find(), rows.get(0));
        for (String r : rows) {
            Matcher m = prot.matcher(r);
            assertTrue(m.find(), r);
            assertEquals(first.start(), m.start(), "PROT column aligned in: " + r);
        }
    }

    @Test
    void colourAlwaysPaintsTitles() {
        Show s = Show.run("x", vector("pipetree").toString(), "fds", "--color=always");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\u001b["));
    }

    @Test
    void jsonViewIsTheModel() {
        Show s = Show.run("x", vector("pipetree").toString(), "ps", "--json");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("\"comm\" : \"pipetree\""), s.out());
    }

    @Test
    void socketsViewSaysWhenThereAreNone() {
        Show s = Show.run("x", vector("counter").toString(), "sk");
        assertEquals(0, s.code(), s.err());
        assertEquals("no sockets in this dump", s.out().strip());
    }

    @Test
    void namesWithControlCharactersAreShownEscapedInEveryTextView(@TempDir Path tmp) {
        Path dir = DumpEdit.copy(vector("counter"), tmp.resolve("d"));
        DumpEdit.all(dir, ImageKind.FILES, null, FileEntry.class, fs -> fs.stream().map(f -> f.hasReg()
                && f.getReg().getName().endsWith("counter.out") ? f.toBuilder().setReg(f.getReg().toBuilder()
                .setName("/tmp/out\n\u001b[31mred")).build() : f).toList());
        DumpEdit.single(dir, ImageKind.CORE, 20104, CoreEntry.class, c -> c.toBuilder()
                .setTc(c.getTc().toBuilder().setComm("ev\u001b]0;il\u0007")).build());
        for (String[] args : new String[][] {{"x", dir.toString(), "fds"}, {"x", dir.toString(), "ps"},
                {"x", dir.toString(), "mems"}, {"summary", dir.toString()}, {"diff", vector("counter").toString(), dir.toString()}}) {
            Show s = Show.run(args);
            assertTrue(s.code() == 0 || s.code() == 1, String.join(" ", args) + ": " + s.err());
            assertFalse(s.out().contains("\u001b") || s.out().contains("\u0007"), String.join(" ", args) + " printed a raw escape:\n" + s.out());
            assertFalse(s.out().lines().anyMatch(l -> l.startsWith("\u001b[31mred")), "no line was split by the name");
        }
        assertTrue(Show.run("x", dir.toString(), "fds").out().contains("/tmp/out\\n\\x1b[31mred"));
        assertTrue(Show.run("x", dir.toString(), "ps").out().contains("ev\\x1b]0;il\\x07"));
    }
}
