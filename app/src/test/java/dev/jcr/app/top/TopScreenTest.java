package dev.jcr.app.top;

import static dev.jcr.app.top.VirtualTop.ch;
import static dev.jcr.app.top.VirtualTop.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.ui.ImageList;
import dev.jcr.app.top.ui.JsonTreeView;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import dev.jcr.themes.ThemeCatalog;
import dev.jcr.themes.TopStyles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jcr-top on Lanterna's virtual terminal over the live system, with a known fixture family in it. */
class TopScreenTest {

    static LiveProcess family;
    static long parent;
    static long child1;
    static long child2;

    @TempDir
    Path images;

    @BeforeAll
    static void startFamily() {
        family = Fixture.start("top_family");
        String[] f = family.stdout().strip().split("\\s+");
        parent = Long.parseLong(f[1]);
        child1 = Long.parseLong(f[2]);
        child2 = Long.parseLong(f[3]);
    }

    @AfterAll
    static void stopFamily() {
        family.close();
        LiveProcess.awaitGone(child1, Duration.ofSeconds(10));
        LiveProcess.awaitGone(child2, Duration.ofSeconds(10));
    }

    private VirtualTop top(int cols, int rows) {
        ImageStore store = VirtualTop.images(images);
        return new VirtualTop(cols, rows, TopMain.liveSource(store), store, DumpAction.engine(), ThemeCatalog.DEFAULT);
    }

    private VirtualTop filtered(String text) {
        VirtualTop t = top(140, 30);
        t.press(ch('\\')).type(text).press(key(KeyType.Enter));
        return t;
    }

    @Test
    void treeShowsTheFixtureFamilyWithItsChildrenIndentedUnderIt() {
        try (VirtualTop t = filtered("top_family")) {
            int p = t.rowOf(parent);
            int a = t.rowOf(child1);
            int b = t.rowOf(child2);
            assertTrue(p > 0 && a == p + 1 && b == p + 2, t.text());
            // children drawn with the theme's tree glyphs, one level deeper than the parent
            int cmd = t.line(2).indexOf("COMMAND");
            String parentCmd = t.line(p).substring(cmd);
            String first = t.line(a).substring(cmd);
            String last = t.line(b).substring(cmd);
            int depth = parentCmd.indexOf('/'); // the command is the fixture's absolute path
            assertEquals("├─", first.substring(depth, depth + 2), t.text());
            assertEquals("└─", last.substring(depth, depth + 2), t.text());
            assertTrue(first.substring(depth + 2).startsWith(parentCmd.substring(depth).strip().split(" ")[0]), t.text());
            // header counts and the filter are shown
            assertTrue(t.line(1).contains("processes "), t.line(1));
            assertTrue(t.line(1).contains("filter top_family"), t.line(1));
            // every row has a C/R cell with a glyph and a word
            assertTrue(t.line(p).matches(".*[✔▲✖?] (ok|needs option|unsupported|unknown).*"), t.line(p));
        }
    }

    @Test
    void filterKeepsOnlyMatchesAndTheirAncestorsAndEscClearsIt() {
        try (VirtualTop t = top(140, 30)) {
            int before = t.app.table().rows().size();
            t.press(ch('\\')).type(Long.toString(child2)).press(key(KeyType.Enter));
            assertTrue(t.rowOf(child2) > 0, t.text());
            assertEquals(-1, t.rowOf(child1), t.text());
            assertTrue(t.app.table().rows().size() < before);
            assertTrue(t.app.table().rows().stream().allMatch(r -> r.matched() == (r.process().pid() == child2)));
            t.press(key(KeyType.Escape));
            assertEquals("", t.app.view().filter());
            assertTrue(t.app.table().rows().size() >= before - 5);
        }
    }

    @Test
    void arrowsMoveTheSelectionAndItFollowsThePidAcrossRefreshes() {
        try (VirtualTop t = filtered("top_family")) {
            t.app.table().selectPid(parent);
            t.settle();
            t.press(key(KeyType.ArrowDown));
            assertEquals(child1, t.app.table().selected().orElseThrow().pid());
            int row = t.rowOf(child1);
            var selectedStyle = t.app.look().style(TopStyles.ROW_SELECTED);
            assertEquals(selectedStyle.getBackground(), t.cell(0, row).getBackgroundColor());
            assertNotEquals(selectedStyle.getBackground(), t.cell(0, t.rowOf(parent)).getBackgroundColor());
            t.refresh();
            t.refresh();
            assertEquals(child1, t.app.table().selected().orElseThrow().pid());
            t.press(key(KeyType.ArrowDown));
            assertEquals(child2, t.app.table().selected().orElseThrow().pid());
            t.press(key(KeyType.Home));
            assertEquals(0, t.app.table().selectedIndex());
        }
    }

    @Test
    void searchJumpsToTheMatchingProcess() {
        try (VirtualTop t = top(140, 30)) {
            t.press(ch('/')).type(Long.toString(child2));
            assertEquals(child2, t.app.table().selected().orElseThrow().pid());
            assertTrue(t.statusLine().startsWith("Search: " + child2), t.statusLine());
            t.press(key(KeyType.Enter));
            assertTrue(t.statusLine().startsWith("F1 Help"), t.statusLine());
        }
    }

    @Test
    void flatViewAndSortingFollowTheKeys() {
        try (VirtualTop t = top(140, 30)) {
            t.press(ch('t'));
            assertFalse(t.app.view().tree());
            assertTrue(t.line(1).contains("view flat"), t.line(1));
            t.press(ch('>'));
            assertEquals("USER", t.app.view().sort().title);
            assertTrue(t.line(2).contains("USER▲"), t.line(2));
            t.press(ch('<'), ch('I'));
            assertTrue(t.app.view().descending());
            long first = t.app.table().rows().get(0).process().pid();
            long second = t.app.table().rows().get(1).process().pid();
            assertTrue(first > second, first + " then " + second);
        }
    }

    @Test
    void dumpDialogRefusesBadDirectoriesThenDumpsWithTheEngineLeavingTheProcessRunning() throws Exception {
        try (VirtualTop t = filtered("top_family")) {
            t.app.table().selectPid(parent);
            t.press(ch('d'));
            assertTrue(t.active().getTitle().startsWith("Dump " + parent), t.active().getTitle());
            TextBox dir = t.find(TextBox.class);
            assertTrue(dir.getText().startsWith(images.toString() + "/top_family"), dir.getText());
            // the parent leads its own session: the drivers ask no option for it, so none is preset
            assertFalse(t.find(com.googlecode.lanterna.gui2.CheckBox.class).isChecked());

            Path file = Files.writeString(images.resolve("a-file"), "x");
            assertProblem(t, dir, file.toString(), "already exists");
            assertProblem(t, dir, "relative/dir", "is relative");
            Path existing = Files.createDirectories(images.resolve("existing"));
            assertProblem(t, dir, existing.toString(), "already exists");
            assertProblem(t, dir, file.resolve("sub").toString(), "is not a directory");

            Path fresh = images.resolve("new-root").resolve("fresh"); // missing parents are created
            dir.setText(fresh.toString());
            // The engine asks for --shell-job for the children (their session leader, the parent, is in the
            // tree, but the session check looks at each process alone): tick the option, as a user would.
            t.find(com.googlecode.lanterna.gui2.CheckBox.class).setChecked(true);
            t.settle();
            pressDump(t);
            assertFalse(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().startsWith("dumped 3 processes"), t.statusLine());
            assertTrue(t.statusLine().contains("left running"), t.statusLine());
            assertTrue(family.isAlive());
            family.signal("USR1");
            assertTrue(family.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS"));
            // the images are CRIU's: crit reads the process tree jcr-top dumped
            String pstree = Crit.decode(fresh.resolve("pstree.img"));
            for (long pid : new long[] {parent, child1, child2}) {
                assertTrue(pstree.contains("\"pid\": " + pid), pstree);
            }
        }
    }

    @Test
    void dumpWithKillIsConfirmedFirstAndThenKillsTheProcess() throws Exception {
        try (LiveProcess victim = Fixture.start("loop"); VirtualTop t = top(140, 30)) {
            t.press(ch('\\')).type(Long.toString(victim.pid())).press(key(KeyType.Enter));
            t.app.table().selectPid(victim.pid());
            t.press(ch('d'));
            Path dir = images.resolve("killed");
            t.find(TextBox.class).setText(dir.toString());
            t.press(key(KeyType.Tab), key(KeyType.ArrowDown), key(KeyType.Enter)); // "kill it after the dump"
            t.press(key(KeyType.Tab), key(KeyType.Tab), key(KeyType.Enter)); // Dump
            assertEquals("Kill after dump?", t.active().getTitle());
            t.press(key(KeyType.Enter)); // "No" has the focus: back, nothing done
            assertTrue(victim.isAlive());
            assertFalse(Files.exists(dir));
            assertTrue(t.active().getTitle().startsWith("Dump "), t.active().getTitle());
            t.press(key(KeyType.Enter)); // Dump again (focus stayed on the button)
            t.press(key(KeyType.Tab), key(KeyType.Enter)); // "Yes, kill it"
            assertTrue(t.statusLine().startsWith("dumped 1 process"), t.statusLine());
            assertTrue(t.statusLine().endsWith("killed"), t.statusLine());
            LiveProcess.awaitGone(victim.pid(), Duration.ofSeconds(10));
            assertFalse(victim.isAlive());
            assertTrue(Files.isRegularFile(dir.resolve("pstree.img")));
        }
    }

    @Test
    void aRefusedDumpShowsTheEnginesReasonAndLeavesTheProcessRunning() throws Exception {
        try (VirtualTop t = top(140, 30)) {
            long self = ProcessHandle.current().pid(); // jcr never dumps itself: the drivers say why
            t.press(ch('\\')).type(Long.toString(self)).press(key(KeyType.Enter));
            t.app.table().selectPid(self);
            t.press(ch('d'));
            t.find(TextBox.class).setText(images.resolve("self").toString());
            pressDump(t);
            assertTrue(t.app.status().isError(), t.statusLine());
            // as jcr dump says it: the summary, then the blockers grouped by kind
            assertTrue(t.statusLine().startsWith("dump refused: "), t.statusLine());
            assertTrue(t.statusLine().contains(" of " + self + " ("), t.statusLine());
            assertTrue(t.statusLine().contains("(pid " + self + " left running)"), t.statusLine());
            assertTrue(t.statusLine().contains("this is jcr itself"), t.statusLine());
            assertFalse(t.statusLine().contains("internal error"), t.statusLine());
            assertFalse(Files.exists(images.resolve("self")));
            // the whole list of reasons is one key away
            t.press(ch('!'));
            assertEquals("Message", t.active().getTitle());
            String all = t.find(TextView.class).lines().stream().map(TextView.Line::text).collect(java.util.stream.Collectors.joining(" ")).replaceAll("\\s+", " ");
            assertTrue(all.contains("(pid " + self + " left running)"), all);
            assertTrue(t.text().contains("this is jcr itself"), t.text());
        }
    }

    @Test
    void aRefusedDumpOfAProcessWithManyBlockersListsThemGroupedByKindAsJcrDumpDoes() throws Exception {
        try (LiveProcess zoo = Fixture.start("zoo"); VirtualTop t = top(140, 30)) {
            zoo.awaitOutput("READY", Duration.ofSeconds(20));
            t.press(ch('\\')).type(Long.toString(zoo.pid())).press(key(KeyType.Enter));
            t.app.table().selectPid(zoo.pid());
            t.press(ch('d'));
            t.find(TextBox.class).setText(images.resolve("zoo").toString());
            pressDump(t);
            assertTrue(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().matches("(?s)dump refused: \\d+ resources of " + zoo.pid() + " \\([^)]*\\) cannot be"
                    + " checkpointed.*"), t.statusLine());
            assertTrue(zoo.isAlive());
            assertFalse(Files.exists(images.resolve("zoo")));
            t.press(ch('!'));
            java.util.List<String> lines = t.find(TextView.class).lines().stream().map(TextView.Line::text).map(String::strip).toList();
            // one heading per kind with its count, then its resources, as jcr check and jcr dump print them
            assertTrue(lines.stream().anyMatch(l -> l.matches("pidfd \\(\\d+\\):?")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.matches("io_uring \\(\\d+\\):?")), lines.toString());
            assertTrue(lines.stream().filter(l -> l.startsWith("no ")).count() >= 4, lines.toString());
        }
    }

    private static void assertProblem(VirtualTop t, TextBox dir, String value, String expected) {
        dir.setText(value);
        t.settle();
        pressDump(t);
        assertTrue(t.text().contains(expected), "for " + value + ":\n" + t.text());
        assertTrue(t.active().getTitle().startsWith("Dump "), "dialog stays open");
        t.active().setFocusedInteractable(dir);
    }

    /** Tab from the directory field past the radio list and the option to the Dump button, then Enter. */
    private static void pressDump(VirtualTop t) {
        t.press(key(KeyType.Tab), key(KeyType.Tab), key(KeyType.Tab), key(KeyType.Enter));
    }

    @Test
    void signalIsConfirmedThenSentAndFailureReasonsAppearInTheStatusLine() throws Exception {
        try (LiveProcess victim = Fixture.start("loop"); VirtualTop t = top(140, 30)) {
            t.press(ch('\\')).type(Long.toString(victim.pid())).press(key(KeyType.Enter));
            t.app.table().selectPid(victim.pid());
            t.press(ch('k'));
            assertTrue(t.active().getTitle().startsWith("Signal to " + victim.pid()), t.active().getTitle());
            t.press(key(KeyType.Enter)); // SIGTERM
            assertTrue(t.active().getTitle().startsWith("Send SIGTERM"), t.active().getTitle());
            t.press(key(KeyType.Enter)); // focus is on "No"
            assertTrue(victim.isAlive(), "No must not send");
            // now the process goes away behind our back: the failure names kill's reason
            t.press(ch('k'), key(KeyType.Enter));
            victim.close();
            t.press(key(KeyType.Tab), key(KeyType.Enter)); // "Send"
            assertTrue(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().contains("signal TERM to " + victim.pid() + " failed"), t.statusLine());
            assertTrue(t.statusLine().toLowerCase().contains("no such process"), t.statusLine());
        }
    }

    @Test
    void signalConfirmedWithSendReachesTheProcess() {
        try (LiveProcess victim = Fixture.start("loop"); VirtualTop t = top(140, 30)) {
            t.press(ch('\\')).type(Long.toString(victim.pid())).press(key(KeyType.Enter));
            t.app.table().selectPid(victim.pid());
            t.press(ch('k'), key(KeyType.Enter), key(KeyType.Tab), key(KeyType.Enter));
            assertTrue(t.statusLine().contains("sent SIGTERM to " + victim.pid()), t.statusLine());
            LiveProcess.awaitGone(victim.pid(), Duration.ofSeconds(10));
            assertFalse(victim.isAlive());
        }
    }

    @Test
    void detailsShowEveryResourceWithExactlyTheDriversAnswers() {
        ProcessReport report = new Analyzer(ProcFs.system()).analyze(child1);
        try (VirtualTop t = new VirtualTop(200, 120, TopMain.liveSource(VirtualTop.images(images)), VirtualTop.images(images),
                DumpAction.engine(), ThemeCatalog.DEFAULT)) {
            t.press(ch('\\')).type(Long.toString(child1)).press(key(KeyType.Enter));
            t.app.table().selectPid(child1);
            // the row's verdict is the analyzer's
            String word = switch (report.verdict()) {
                case SUPPORTED -> "ok";
                case NEEDS_OPTION -> "needs option";
                case UNSUPPORTED -> "unsupported";
            };
            assertTrue(t.line(t.rowOf(child1)).contains(" " + word + " "), t.line(t.rowOf(child1)));
            t.press(key(KeyType.Enter));
            assertTrue(t.active().getTitle().startsWith("Details of " + child1), t.active().getTitle());
            String screen = t.text();
            assertTrue(screen.contains("Threads (1)"), screen);
            assertTrue(screen.contains("Memory ("), screen);
            assertTrue(screen.contains("Process ("), screen);
            for (Assessment a : report.assessments()) {
                assertTrue(screen.contains(a.resource()), "missing " + a.resource() + "\n" + screen);
                if (!a.reason().isEmpty() && a.reason().length() < 150) {
                    assertTrue(screen.contains(a.reason()), "missing reason " + a.reason() + "\n" + screen);
                }
            }
            t.press(key(KeyType.Escape));
            assertEquals("jcr-top", t.active().getTitle());
        }
    }

    @Test
    void sidePaneShowsTheSelectedProcessesDetailsAndFollowsTheSelectionWhenTheTerminalIsWide() {
        ProcessReport report = new Analyzer(ProcFs.system()).analyze(child1);
        ImageStore store = VirtualTop.images(images);
        try (VirtualTop t = new VirtualTop(180, 50, TopMain.liveSource(store), store, DumpAction.engine(), ThemeCatalog.DEFAULT)) {
            t.press(ch('\\')).type("top_family").press(key(KeyType.Enter));
            t.app.table().selectPid(child1);
            t.press(ch('p'));
            assertTrue(t.app.pane().shown());
            assertEquals(child1, t.app.pane().pid());
            String screen = t.text();
            assertTrue(screen.contains("Details of " + child1 + " (top_family"), screen);
            assertTrue(screen.contains("Threads (1)"), screen);
            // the pane holds the drivers' answers for the process, beside the list (same rows)
            int titleRow = -1;
            for (int r = 0; r < t.lines().size(); r++) {
                if (t.line(r).contains("Details of " + child1)) {
                    titleRow = r;
                }
            }
            assertTrue(t.line(titleRow).indexOf("Details of") > 100, "the pane is at the right:\n" + screen);
            Assessment thread = report.assessments().stream().filter(a -> a.resource().startsWith("thread ")).findFirst().orElseThrow();
            assertTrue(screen.contains(thread.resource()), screen);
            assertTrue(t.rowOf(child1) > 0, "the list is still there:\n" + screen);

            t.press(key(KeyType.ArrowDown));
            assertEquals(child2, t.app.pane().pid(), "the pane follows the selection");
            assertTrue(t.text().contains("Details of " + child2 + " (top_family"), t.text());

            t.terminal.setTerminalSize(new TerminalSize(120, 40)); // too narrow: the list takes the whole width
            t.settle();
            assertFalse(t.app.pane().shown());
            assertFalse(t.text().contains("Details of"), t.text());
            t.terminal.setTerminalSize(new TerminalSize(180, 50));
            t.settle();
            t.refresh();
            assertTrue(t.text().contains("Details of " + child2), t.text());

            t.press(ch('p'));
            assertFalse(t.app.pane().shown());
            assertFalse(t.text().contains("Details of"), t.text());
        }
    }

    @Test
    void sidePaneOnANarrowTerminalSaysWhyAndEnterStillShowsTheDetails() {
        try (VirtualTop t = filtered("top_family")) {
            t.app.table().selectPid(child1);
            t.press(ch('p'));
            assertFalse(t.app.pane().shown());
            assertTrue(t.statusLine().contains("at least " + dev.jcr.app.top.ui.DetailsPane.MIN_COLUMNS + " columns"), t.statusLine());
            t.press(key(KeyType.Enter));
            assertTrue(t.active().getTitle().startsWith("Details of " + child1), t.active().getTitle());
        }
    }

    @Test
    void detailsOfAVanishedProcessSayWhyInTheStatusLine() {
        try (LiveProcess victim = Fixture.start("loop"); VirtualTop t = top(140, 30)) {
            t.press(ch('\\')).type(Long.toString(victim.pid())).press(key(KeyType.Enter));
            t.app.table().selectPid(victim.pid());
            victim.close();
            t.press(key(KeyType.Enter));
            assertEquals("jcr-top", t.active().getTitle());
            assertTrue(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().startsWith("details of " + victim.pid() + ": "), t.statusLine());
            assertFalse(t.statusLine().contains("internal error"), t.statusLine());
        }
    }

    @Test
    void commandLineRunsJcrCommandsAndShowsTheirOutput() {
        try (VirtualTop t = top(140, 30)) {
            t.press(ch(':')).type("--version").press(key(KeyType.Enter));
            assertEquals("Command", t.active().getTitle());
            assertTrue(t.text().contains("$ jcr --version"), t.text());
            assertTrue(t.text().contains("jcr 0.1.0"), t.text());
            assertTrue(t.text().contains("exit 0"), t.text());
            t.press(key(KeyType.Escape));
            t.press(ch(':')).type("no-such-command").press(key(KeyType.Enter));
            assertTrue(t.text().contains("exit 2"), t.text());
        }
    }

    @Test
    void themeKeyCyclesThroughTheBundledThemesAndRecolours() {
        try (VirtualTop t = top(140, 30)) {
            var darkHeader = t.cell(0, 0).getBackgroundColor();
            t.press(ch('T'));
            assertEquals("light", t.app.theme().name());
            assertTrue(t.line(1).contains("theme light"), t.line(1));
            assertEquals(t.app.look().style(TopStyles.HEADER).getBackground(), t.cell(0, 0).getBackgroundColor());
            assertNotEquals(darkHeader, t.cell(0, 0).getBackgroundColor());
            t.press(ch('T'));
            assertEquals("mono", t.app.theme().name());
            t.press(ch('T'));
            assertEquals("dark", t.app.theme().name());
        }
    }

    @Test
    void resizeRedrawsAtTheNewSizeKeepingTheSelectionVisible() {
        try (VirtualTop t = top(140, 40)) {
            t.press(key(KeyType.End));
            int last = t.app.table().rows().size() - 1;
            t.terminal.setTerminalSize(new TerminalSize(90, 15));
            t.settle();
            assertEquals(15, t.lines().size());
            assertEquals(last, t.app.table().selectedIndex());
            long pid = t.app.table().selected().orElseThrow().pid();
            assertTrue(t.rowOf(pid) > 0 && t.rowOf(pid) < 14, t.text());
            assertTrue(t.statusLine().startsWith("F1 Help"), t.statusLine());
        }
    }

    @Test
    void imagesBrowserListsImageDirectoriesAndExplainsWhatIsMissing() throws Exception {
        Path dump = Files.createDirectories(images.resolve("loop-42-20260101-120000"));
        Files.write(dump.resolve("pstree.img"), new byte[] {1, 2, 3});
        Files.write(dump.resolve("core-42.img"), new byte[100]);
        Files.createDirectories(images.resolve("not-an-image"));
        try (VirtualTop t = top(140, 30)) {
            assertTrue(t.line(1).contains("images 1"), t.line(1));
            t.press(ch('i'));
            assertTrue(t.text().contains(dump.toString()), t.text());
            assertFalse(t.text().contains("not-an-image"), t.text());
            t.press(key(KeyType.Enter));
            assertTrue(t.text().contains("core-42.img"), t.text());
            t.press(key(KeyType.Escape), ch('D'));
            assertTrue(t.statusLine().contains("mark exactly two images"), t.statusLine());
            t.press(key(KeyType.Escape));
            assertEquals("jcr-top", t.active().getTitle());
        }
    }

    @Test
    void imagesBrowserShowsTheChainOfAnIncrementalDump() throws Exception {
        Path pre = images.resolve("hog-pre");
        Path fin = images.resolve("hog-final");
        try (LiveProcess p = Fixture.start("memhog", "8", "10")) {
            DumpEngine jcr = new DumpEngine();
            jcr.dump((int) p.pid(), DumpOptions.to(pre).withPreDump(true), DumpListener.NONE);
            jcr.dump((int) p.pid(), DumpOptions.to(fin).withParent("../hog-pre").withKill(true), DumpListener.NONE);
        }
        try (VirtualTop t = top(200, 40)) {
            t.press(ch('i'));
            String preLine = t.lines().stream().filter(l -> l.contains(pre + " (pre-dump)")).findFirst().orElseThrow();
            assertTrue(preLine.matches(".*\\s-\\s+" + java.util.regex.Pattern.quote(pre.toString()) + ".*"), preLine);
            assertTrue(t.text().contains(fin + " <- ../hog-pre (pre-dump)"), t.text());
            ImageList list = t.find(ImageList.class);
            while (!list.selected().orElseThrow().dir().equals(fin)) {
                t.press(key(KeyType.ArrowDown));
            }
            t.press(key(KeyType.Enter));
            assertTrue(t.text().contains("Chain of parent images"), t.text());
            assertTrue(t.text().contains("<- ../hog-pre (pre-dump)"), t.text());
            assertTrue(t.text().contains("parent"), t.text());
        }
    }

    @Test
    void imagesBrowserReadsTheProcessesOfARealCriuDump() throws Exception {
        Path vector = dev.jcr.image.Vectors.root().resolve("pipetree");
        Path copy = Files.createDirectories(images.resolve("pipetree"));
        try (var files = Files.list(vector)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path broken = Files.createDirectories(images.resolve("broken"));
        Files.write(broken.resolve("pstree.img"), new byte[] {1, 2, 3});
        try (VirtualTop t = top(160, 40)) {
            t.press(ch('i'));
            String pipetree = t.lines().stream().filter(l -> l.contains(copy.toString())).findFirst().orElseThrow();
            // crit decode pipetree/pstree.img has 2 entries
            assertTrue(pipetree.matches(".*\\s2\\s+" + java.util.regex.Pattern.quote(copy.toString()) + ".*"), pipetree);
            String bad = t.lines().stream().filter(l -> l.contains(broken.toString())).findFirst().orElseThrow();
            assertTrue(bad.matches(".*\\s-\\s+" + java.util.regex.Pattern.quote(broken.toString()) + ".*"), bad);
            while (!t.text().contains("> " + copy) && t.app.gui().getActiveWindow().getTitle().startsWith("Images")) {
                ImageList list = t.find(ImageList.class);
                if (list.selected().orElseThrow().dir().equals(copy)) {
                    break;
                }
                t.press(key(KeyType.ArrowDown));
            }
            t.press(key(KeyType.Enter));
            assertTrue(t.text().contains("Processes (2)"), t.text());
            assertTrue(t.text().contains("pstree.img"), t.text());

            // Enter on pstree.img: decoded by jcr-show's decoder into a collapsible tree
            TextView files = t.find(TextView.class);
            while (!files.lines().get(files.cursor()).text().endsWith("pstree.img")) {
                int before = files.cursor();
                t.press(key(KeyType.ArrowDown));
                assertNotEquals(before, files.cursor(), "pstree.img not reachable");
            }
            t.press(key(KeyType.Enter));
            assertEquals("pstree.img (PSTREE)", t.active().getTitle());
            JsonTreeView tree = t.find(JsonTreeView.class);
            assertTrue(t.text().contains("entries [2]"), t.text());
            assertTrue(t.text().contains("pid: 20123"), t.text());
            int open = tree.rows().size();
            t.press(key(KeyType.ArrowDown), key(KeyType.ArrowDown), key(KeyType.ArrowDown)); // entries > [0]
            t.press(key(KeyType.ArrowLeft));
            assertTrue(tree.rows().size() < open, "[0] collapsed");
            t.press(key(KeyType.ArrowDown), key(KeyType.ArrowRight));
            assertTrue(t.text().contains("pid: 20125"), t.text());
            // a raw pages file is not a protobuf image: the reason is shown, nothing breaks
            t.press(key(KeyType.Escape));
            while (!files.lines().get(files.cursor()).text().endsWith("pages-1.img")) {
                t.press(key(KeyType.ArrowUp));
            }
            t.press(key(KeyType.Enter));
            assertTrue(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().startsWith("decode pages-1.img: "), t.statusLine());
        }
    }

    @Test
    void diffOfTwoMarkedDumpsShowsTheChangedPagesAndFewerMarksAreRefused() throws Exception {
        // viewer_mutate changes 4 bytes of page 5 of its buffer (and more) on SIGUSR1: dump before and after
        Path out = Files.createDirectories(images.resolve("work")).resolve("out.txt");
        try (LiveProcess victim = Fixture.start("viewer_mutate", out.toString())) {
            Path a = images.resolve("mutate-a");
            Path b = images.resolve("mutate-b");
            DumpAction.engine().dump(victim.pid(), a, false, false, DumpListener.NONE);
            victim.signal("USR1");
            victim.awaitOutput("CHANGED", Duration.ofSeconds(10));
            DumpAction.engine().dump(victim.pid(), b, false, false, DumpListener.NONE);
            assertTrue(victim.isAlive());
            try (VirtualTop t = top(160, 50)) {
                // newest first: mutate-b, then mutate-a
                t.press(ch('i'), key(KeyType.ArrowDown), ch(' '), ch('D'));
                assertTrue(t.app.status().isError(), t.statusLine());
                assertTrue(t.statusLine().contains("mark exactly two images with Space first (1 marked)"), t.statusLine());
                t.press(key(KeyType.ArrowUp), ch(' '), ch('D'));
                assertEquals("Diff mutate-a → mutate-b", t.active().getTitle());
                String pages = t.lines().stream().filter(l -> l.contains("pages ") && l.contains(" changed ("))
                        .findFirst().orElseThrow(() -> new AssertionError(t.text()));
                assertTrue(pages.matches(".*pages\\s+[1-9]\\d* changed \\(.*"), pages);
                assertTrue(t.text().contains("~ process " + victim.pid()), t.text());
                assertTrue(t.text().contains("4 bytes differ"), t.text());
            }
        }
    }

    @Test
    void diffOfUnreadableImagesSaysWhyInTheStatusLine() throws Exception {
        for (String name : new String[] {"bad-a", "bad-b"}) {
            Files.write(Files.createDirectories(images.resolve(name)).resolve("pstree.img"), new byte[] {1, 2, 3});
        }
        try (VirtualTop t = top(140, 30)) {
            t.press(ch('i'), ch(' '), key(KeyType.ArrowDown), ch(' '), ch('D'));
            assertTrue(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().startsWith("diff: "), t.statusLine());
            assertTrue(t.statusLine().contains("bad-") && t.statusLine().contains("not an image directory"), t.statusLine());
            assertTrue(t.active().getTitle().startsWith("Images"), t.active().getTitle());
        }
    }

    @Test
    void restoreIsConfirmedThenBringsTheKilledLoopBackWithItsPid() throws Exception {
        long pid;
        Path dir = images.resolve("loop-killed");
        try (LiveProcess victim = Fixture.start("loop")) {
            pid = victim.pid();
            DumpAction.engine().dump(pid, dir, true, false, DumpListener.NONE);
            LiveProcess.awaitGone(pid, Duration.ofSeconds(10)); // init reaps slowly
            assertFalse(Files.exists(Path.of("/proc/" + pid)));
        }
        try (VirtualTop t = top(160, 40)) {
            t.press(ch('i'), ch('r'));
            assertEquals("Restore?", t.active().getTitle());
            t.press(key(KeyType.Enter)); // "No" has the focus: nothing done
            assertFalse(Files.exists(Path.of("/proc/" + pid)));
            assertTrue(t.active().getTitle().startsWith("Images"), t.active().getTitle());
            t.press(ch('r'), key(KeyType.Tab), key(KeyType.Enter)); // "Yes, restore"
            assertFalse(t.app.status().isError(), t.statusLine());
            assertTrue(t.statusLine().startsWith("restored 1 process from loop-killed, root pid " + pid), t.statusLine());
            assertTrue(Files.exists(Path.of("/proc/" + pid)), "restored loop runs");
            Thread.sleep(100);
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            assertTrue(state == 'S' || state == 'R', "alive, not a zombie: " + stat);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
            LiveProcess.awaitGone(pid, Duration.ofSeconds(10));
        }
    }

    @Test
    void helpListsEveryKey() {
        try (VirtualTop t = top(140, 45)) {
            t.press(key(KeyType.F1));
            for (KeyBindings.Binding b : KeyBindings.ALL) {
                if (!b.keys().isEmpty()) {
                    assertTrue(t.text().contains(b.keys()), b.keys());
                }
            }
            t.press(ch('q'));
            assertTrue(t.app.running(), "q closes help, not the application");
            t.press(ch('q'));
            assertFalse(t.app.running());
        }
    }

    /** Kernel threads (pid 2, kthreadd, and its children) are hidden at start; K shows them and hides them again. */
    @Test
    void kernelThreadsAreHiddenUntilKShowsThem() {
        try (VirtualTop t = top(140, 30)) {
            assertTrue(t.app.table().rows().stream().noneMatch(r -> r.process().kind() == ProcessRow.Kind.KERNEL_THREAD));
            assertTrue(t.app.table().rows().stream().anyMatch(r -> r.process().pid() == family.pid()), "userland is listed");
            t.press(ch('\\')).type("kthreadd").press(key(KeyType.Enter));
            assertEquals(-1, t.rowOf(2), t.text());
            assertTrue(t.line(1).contains("view tree "), t.line(1));
            t.press(ch('K'));
            assertTrue(t.line(1).contains("view tree +kernel"), t.line(1));
            int row = t.rowOf(2);
            assertTrue(row > 0 && t.line(row).contains("unsupported") && t.line(row).contains("[kthreadd]"), t.text());
            assertTrue(t.statusLine().startsWith("kernel threads shown"), t.statusLine());
            t.press(key(KeyType.Escape), ch('K'));
            assertFalse(t.line(1).contains("+kernel"), t.line(1));
            assertTrue(t.app.table().rows().stream().noneMatch(r -> r.process().kind() == ProcessRow.Kind.KERNEL_THREAD));
        }
    }

    /** H lists each thread of a process under it (with the process's verdict); Enter on one details the process. */
    @Test
    void hShowsTheThreadsOfEachProcessUnderIt() throws Exception {
        try (LiveProcess threads = Fixture.startWithFlags("threads", java.util.List.of("-pthread")); VirtualTop t = top(140, 30)) {
            java.util.List<Long> tids = ProcFs.system().threads(threads.pid()).stream().map(dev.jcr.proc.ThreadInfo::tid)
                    .filter(tid -> tid != threads.pid()).toList();
            assertEquals(4, tids.size());
            t.press(ch('\\')).type(Long.toString(threads.pid())).press(key(KeyType.Enter));
            int process = t.rowOf(threads.pid());
            assertTrue(process > 0, t.text());
            assertEquals(-1, t.rowOf(tids.get(0)), t.text());
            t.press(ch('H'));
            assertTrue(t.line(1).contains("view tree +threads"), t.line(1));
            process = t.rowOf(threads.pid());
            for (int i = 0; i < tids.size(); i++) {
                int row = t.rowOf(tids.get(i));
                assertEquals(process + 1 + i, row, "the threads follow their process:\n" + t.text());
                String verdict = t.line(process).replaceAll(".*([✔▲✖?] (ok|needs option|unsupported|unknown)).*", "$1");
                assertTrue(t.line(row).contains(verdict), "the process's verdict:\n" + t.text());
            }
            assertTrue(t.line(1).matches(".*processes \\d+ .*"), t.line(1));
            t.app.table().selectPid(tids.get(0));
            t.press(key(KeyType.Enter));
            assertTrue(t.active().getTitle().startsWith("Details of " + threads.pid()), t.active().getTitle());
            t.press(key(KeyType.Escape), ch('H'));
            assertEquals(-1, t.rowOf(tids.get(0)), t.text());
        }
    }

    /**
     * A panel covers every column between the header's first line and the status line, so nothing of the
     * list shows beside it (Lanterna's own placement left 1 column on the left and 3 on the right, where
     * the see-through shadow repeated the list's characters); a dialog's shadow is blank.
     */
    @Test
    void panelsAndDialogsLeaveNothingOfTheListVisibleBesideThem() {
        try (VirtualTop t = top(100, 30)) {
            t.app.table().selectPid(family.pid());
            String header = t.line(0);
            t.press(key(KeyType.F1));
            assertEquals("Help", t.active().getTitle());
            assertPanelCoversTheScreen(t);
            assertEquals(header.strip(), t.line(0).strip(), "the first header line stays");
            t.press(key(KeyType.Escape), key(KeyType.Enter));
            assertTrue(t.active().getTitle().startsWith("Details of "), t.active().getTitle());
            assertPanelCoversTheScreen(t);
            t.press(key(KeyType.Escape), ch('d'));
            assertTrue(t.active().getTitle().startsWith("Dump "), t.active().getTitle());
            var w = t.active();
            int right = w.getPosition().getColumn() + w.getDecoratedSize().getColumns();
            for (int row = w.getPosition().getRow() + 1; row <= w.getPosition().getRow() + w.getDecoratedSize().getRows(); row++) {
                assertEquals("  ", t.line(row).substring(right, right + 2), "blank shadow at row " + row + ":\n" + t.text());
            }
        }
    }

    private static void assertPanelCoversTheScreen(VirtualTop t) {
        java.util.List<String> lines = t.lines();
        int last = lines.size() - 1;
        assertEquals(new com.googlecode.lanterna.TerminalSize(100, 28), t.active().getDecoratedSize());
        assertTrue(lines.get(1).startsWith("┌") && lines.get(1).endsWith("┐"), lines.get(1));
        for (int r = 2; r < last - 1; r++) {
            assertTrue(lines.get(r).startsWith("│") && lines.get(r).endsWith("│"), "row " + r + ":\n" + t.text());
        }
        assertTrue(lines.get(last - 1).startsWith("└") && lines.get(last - 1).endsWith("┘"), lines.get(last - 1));
        assertTrue(t.statusLine().startsWith("F1 Help"), t.statusLine());
    }
}
