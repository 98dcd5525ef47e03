package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.Main;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jcr dump through Main: one summary line, one error line, a distinct exit code per failure, check ⇔ dump. */
class DumpCommandTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertOneLine(String text) {
        assertEquals(1, text.lines().count(), "one line expected:\n" + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "stack trace leaked:\n" + text);
    }

    @Test
    void dumpPrintsOneSummaryLineAndTheProcessRunsOn() {
        try (LiveProcess p = Fixture.start("loop")) {
            Path dir = tmp.resolve("img");
            Run check = run("check", Long.toString(p.pid()));
            assertEquals(0, check.code(), check.err());
            Run r = run("dump", Long.toString(p.pid()), "-D", dir.toString());
            assertEquals(0, r.code(), r.err());
            assertOneLine(r.out());
            assertTrue(r.out().startsWith("dumped 1 process (1 thread) of " + p.pid() + " to "), r.out());
            assertTrue(r.out().contains("left running"), r.out());
            assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
            assertTrue(Files.exists(dir.resolve("inventory.img")));
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void aLoopDumpedWithKillIsRestoredByJcrRestoreAndStillPasses() {
        LiveProcess p = Fixture.start("loop");
        long pid = p.pid();
        try (p) {
            Path dir = tmp.resolve("img");
            Run d = run("dump", Long.toString(pid), "-D", dir.toString(), "--kill");
            assertEquals(0, d.code(), d.err());
            LiveProcess.awaitGone(pid, Duration.ofSeconds(10));
            Run r = run("restore", "-D", dir.toString(), "--detach");
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.exists(Path.of("/proc/" + pid)), "restored under its old pid");
            p.signal("USR1"); // the restored process writes PASS to the same stdout file
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void progressCanBeForcedOntoStderr() {
        try (LiveProcess p = Fixture.start("pattern", "8")) {
            Run r = run("dump", Long.toString(p.pid()), "-D", tmp.resolve("img").toString(), "--progress");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("writing memory ["), r.err());
            assertTrue(r.err().contains("100%"), r.err());
        }
    }

    @Test
    void killRemovesTheProcessAfterTheImagesAreWritten() {
        LiveProcess p = Fixture.start("loop");
        try (p) {
            Run r = run("dump", Long.toString(p.pid()), "-D", tmp.resolve("img").toString(), "--kill");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("killed"), r.out());
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            assertFalse(Files.exists(Path.of("/proc/" + p.pid())));
        }
    }

    /**
     * A refused dump sums up in one line, then lists the blockers one per line, grouped by kind: exactly
     * the lines `jcr check` prints under its own head line (one formatter for both).
     */
    @Test
    void unsupportedResourcesExitSixAndAreListedAsCheckListsThem() throws Exception {
        try (LiveProcess zoo = Fixture.start("zoo")) {
            Run check = run("check", Long.toString(zoo.pid()));
            assertEquals(1, check.code(), "check says no");
            Run r = run("dump", Long.toString(zoo.pid()), "-D", tmp.resolve("img").toString());
            assertEquals(6, r.code(), r.err());
            List<String> lines = r.err().lines().toList();
            int n = Integer.parseInt(check.out().lines().findFirst().orElseThrow().replaceAll(".*\\((\\d+) blockers\\)", "$1"));
            assertEquals("dump: refused: " + n + " resources of " + zoo.pid() + " (" + Files.readString(Path.of("/proc/" + zoo.pid() + "/comm")).strip() + ") cannot be checkpointed",
                    lines.get(0));
            assertEquals(check.out().lines().skip(1).toList(), lines.subList(1, lines.size()));
            assertTrue(lines.contains("  pidfd (1)"), r.err());
            assertTrue(lines.stream().allMatch(l -> l.length() < 200), "one blocker per line:\n" + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(tmp.resolve("img")));
            assertTrue(zoo.isAlive());
        }
    }

    @Test
    void errorsHaveDistinctExitCodes() throws Exception {
        Run missing = run("dump", "999999999", "-D", tmp.resolve("a").toString());
        assertEquals(3, missing.code(), missing.err());
        assertOneLine(missing.err());
        try (LiveProcess p = Fixture.start("loop")) {
            Run badDir = run("dump", Long.toString(p.pid()), "-D", tmp.resolve("no/such/dir").toString());
            assertEquals(8, badDir.code(), badDir.err());
            assertOneLine(badDir.err());
            Run usage = run("dump", Long.toString(p.pid()));
            assertEquals(2, usage.code(), "-D is required");
            Run both = run("dump", Long.toString(p.pid()), "-D", tmp.resolve("b").toString(), "--kill", "-R");
            assertEquals(2, both.code());
            assertTrue(p.isAlive());
        }
        try (LiveProcess traced = Fixture.start("traced")) {
            String tracee = traced.stdout().lines().filter(l -> l.startsWith("TRACEE ")).findFirst().orElseThrow()
                    .substring(7).trim();
            Run r = run("dump", tracee, "-D", tmp.resolve("c").toString());
            assertEquals(5, r.code(), r.err());
            String head = r.err().lines().findFirst().orElseThrow();
            assertTrue(head.startsWith("dump: refused: pid " + tracee + " is traced by pid " + traced.pid()
                    + " (a process has only one tracer; detach it first)"), r.err());
            assertTrue(r.err().contains("already traced"), r.err());
            Run tree = run("dump", Long.toString(traced.pid()), "-D", tmp.resolve("d").toString());
            assertEquals(5, tree.code(), "the tracee is in the tree: " + tree.err());
        }
    }

    @Test
    void preDumpThenIncrementalDumpFromTheCommandLine() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            String pid = Long.toString(p.pid());
            Run pre = run("dump", pid, "--pre-dump", "-D", tmp.resolve("pre").toString());
            assertEquals(0, pre.code(), pre.err());
            assertOneLine(pre.out());
            assertTrue(pre.out().startsWith("pre-dumped memory of 1 process (1 thread) of " + p.pid()), pre.out());
            Run fin = run("dump", pid, "--prev-images-dir", "../pre", "-D", tmp.resolve("fin").toString());
            assertEquals(0, fin.code(), fin.err());
            assertTrue(fin.out().contains("in parent images)"), fin.out());
            assertEquals(Path.of("../pre"), Files.readSymbolicLink(tmp.resolve("fin/parent")));
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void badIterativeOptionsAreRefusedWithTheirExitCodes() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            String pid = Long.toString(p.pid());
            Run both = run("dump", pid, "--pre-dump", "--kill", "-D", tmp.resolve("x").toString());
            assertEquals(2, both.code(), both.err());
            Run missing = run("dump", pid, "--prev-images-dir", "../nope", "-D", tmp.resolve("y").toString());
            assertEquals(8, missing.code(), missing.err());
            assertOneLine(missing.err());
            Path notImages = Files.createDirectory(tmp.resolve("plain"));
            Run bad = run("dump", pid, "--prev-images-dir", "../plain", "-D", tmp.resolve("z").toString());
            assertEquals(7, bad.code(), bad.err());
            assertOneLine(bad.err());
            assertFalse(Files.exists(tmp.resolve("x")) || Files.exists(tmp.resolve("y")) || Files.exists(tmp.resolve("z")));
            assertTrue(notImages.toFile().isDirectory());
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }
}
