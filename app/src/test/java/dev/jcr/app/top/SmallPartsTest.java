package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpTarget;
import dev.jcr.app.top.ui.Cells;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {

    @Test
    void commandLineSplitsLikeAShell() {
        assertEquals(List.of("check", "42", "--json"), CommandRunner.split("  check 42   --json "));
        assertEquals(List.of("show", "/tmp/a b", "it's"), CommandRunner.split("show '/tmp/a b' \"it's\""));
        assertEquals(List.of("a b", "c"), CommandRunner.split("a\\ b c"));
        assertEquals(List.of(), CommandRunner.split("   "));
    }

    @Test
    void commandLineRunsThroughTheUmbrellaCommandAndReportsItsExitCode() {
        CommandRunner.Outcome ok = new CommandRunner().run("jcr --version");
        assertEquals(0, ok.exitCode());
        assertTrue(ok.out().contains("jcr 0.1.0"), ok.out());
        CommandRunner.Outcome bad = new CommandRunner().run("--no-such-option");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--no-such-option"), bad.err());
    }

    @Test
    void commandLineIsAReplSessionKeepingVariablesAcrossLines() {
        CommandRunner r = new CommandRunner();
        assertEquals(0, r.run("set target 42").exitCode());
        CommandRunner.Outcome echo = r.run("echo pid=$target");
        assertEquals(0, echo.exitCode(), echo.err());
        assertEquals("pid=42", echo.out().strip());
        CommandRunner.Outcome bad = r.run("nosuchcommand");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("unknown command"), bad.err());
        assertEquals("2", r.run("echo $?").out().strip(), "$? is the last status, as in the REPL");
        CommandRunner.Outcome every = r.run("every 1s ps");
        assertEquals(2, every.exitCode());
        assertTrue(every.err().contains("Ctrl-C"), every.err());
    }

    @Test
    void defaultDumpDirectoryIsNamedAfterCommPidAndTimeAndSafeForFileNames() {
        Path d = DumpTarget.defaultFor(Path.of("/images"), "my app/2", 42, Instant.parse("2026-01-02T03:04:05Z"));
        assertEquals(Path.of("/images"), d.getParent());
        assertTrue(d.getFileName().toString().matches("my_app_2-42-2026010[12]-\\d{6}"), d.toString());
    }

    @Test
    void dumpTargetAcceptsOnlyANewDirectoryUnderAWritableParent(@TempDir Path tmp) throws Exception {
        assertTrue(DumpTarget.problem(tmp.resolve("new/deeper").toString()).isEmpty());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertTrue(DumpTarget.problem(empty.toString()).orElseThrow().contains("already exists"));
        Path readOnly = Files.createDirectory(tmp.resolve("ro"));
        readOnly.toFile().setWritable(false);
        // root may write anywhere; the check must agree with what the system says
        assertEquals(Files.isWritable(readOnly), DumpTarget.problem(readOnly.resolve("x").toString()).isEmpty());
        assertEquals("give a directory for the images", DumpTarget.problem("  ").orElseThrow());
    }

    @Test
    void sizesAreShortAndHuman() {
        assertEquals("812K", Cells.kib(812));
        assertEquals("12.3M", Cells.kib(12_595));
        assertEquals("1.5G", Cells.kib(1_572_864));
        assertEquals("100B", Cells.bytes(100));
        assertEquals("   ab", Cells.right("ab", 5));
        assertEquals("abc", Cells.left("abcdef", 3));
    }
}
