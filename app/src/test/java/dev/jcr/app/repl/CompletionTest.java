package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion from the commands' picocli models, against the real /proc and a real directory tree. */
class CompletionTest {

    @TempDir
    Path tmp;

    private CommandCompleter completer;

    @BeforeEach
    void setUp() {
        completer = new CommandCompleter(new TestCommands.Captured().session, Path.of("/proc"), tmp);
    }

    private List<Candidate> complete(String current, String... before) {
        return completer.complete(List.of(before), current);
    }

    private static Set<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).collect(Collectors.toSet());
    }

    private static Optional<Candidate> find(List<Candidate> candidates, String value) {
        return candidates.stream().filter(c -> c.value().equals(value)).findFirst();
    }

    @Test
    void firstWordCompletesEveryCliCommandAndBuiltinWithItsDescription() {
        List<Candidate> c = complete("");
        Set<String> names = values(c);
        assertTrue(names.containsAll(Set.of("run", "probe", "mkdirs", "set", "every", "help", "exit", "quit", "history")), names.toString());
        assertFalse(names.contains("repl"), "the REPL does not offer itself");
        assertEquals("Prints a process's state and name (test only).", find(c, "probe").orElseThrow().descr());
        assertTrue(values(complete("", "jcr")).contains("probe"), "a leading 'jcr' is ignored");
    }

    @Test
    void pidArgumentsCompleteLiveProcessesShownWithTheirCommand() {
        try (LiveProcess p = Fixture.start("loop")) {
            String pid = Long.toString(p.pid());
            Candidate c = find(complete("", "probe"), pid).orElseThrow(() -> new AssertionError("no candidate for " + pid));
            assertTrue(c.descr().contains("loop-"), "shown with its command: " + c.descr());
            assertFalse(values(complete("", "probe")).contains(Long.toString(ProcessHandle.current().pid())), "not jcr itself");
            assertFalse(values(complete("", "probe")).contains("2"), "no kernel threads (kthreadd is pid 2)");
            // the command after every's interval and options completes the same way
            assertTrue(values(complete("", "every", "10m", "--keep", "3", "probe")).contains(pid));
        }
    }

    @Test
    void dirArgumentsCompleteDirectoriesAndMarkCheckpointImages() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("ckpt/job-1"));
        Files.write(image.resolve("inventory.img"), new byte[10]);
        Files.write(image.resolve("core-42.img"), new byte[2048]);
        Files.createDirectories(tmp.resolve("ckpt/plain"));
        Files.writeString(tmp.resolve("ckpt/notes.txt"), "x");
        String typed = tmp + "/ckpt/";
        List<Candidate> c = complete(typed, "mkdirs");
        assertEquals(Set.of(typed + "job-1/", typed + "plain/"), values(c), "DIR offers directories only");
        assertEquals("checkpoint image, 2 files", find(c, typed + "job-1/").orElseThrow().descr());
        assertFalse(find(c, typed + "job-1/").orElseThrow().complete(), "a directory leaves the word open for more");
        assertEquals(Set.of(typed + "job-1/"), values(complete(typed + "j", "mkdirs")));
        assertEquals(Set.of("~/ckpt/job-1/", "~/ckpt/plain/"), values(complete("~/ckpt/", "mkdirs")), "~ is the home directory");
    }

    @Test
    void fileArgumentsCompleteFilesWithImageSizes() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("job-1"));
        Files.write(image.resolve("core-42.img"), new byte[2048]);
        Files.writeString(tmp.resolve("backup.jcr"), "ps\n");
        assertTrue(values(complete(tmp + "/", "run")).containsAll(Set.of(tmp + "/backup.jcr", tmp + "/job-1/")));
        assertEquals("image, 2.0 KiB", find(complete(tmp + "/job-1/", "run"), tmp + "/job-1/core-42.img").orElseThrow().descr());
    }

    @Test
    void optionsCompleteByNameForCliCommandsAndBuiltins() {
        assertTrue(values(complete("-", "run")).containsAll(Set.of("--fail-fast", "--help", "-h")));
        assertEquals(Set.of("--keep", "--keep-going"), values(complete("--kee", "every", "10s")).stream()
                .filter(v -> v.startsWith("--kee")).collect(Collectors.toSet()));
        assertTrue(values(complete("-", "every", "10s", "run")).contains("--fail-fast"), "options of the repeated command");
        assertEquals(Set.of(), values(complete("", "run", "--fail-fast", tmp.toString(), "arg")), "free-form ARGs offer nothing");
    }

    @Test
    void optionValuesAndCommandWordsAreCompletedInPlace() throws Exception {
        assertTrue(values(complete("", "every", "10s")).contains("probe"), "after the interval comes the command");
        assertTrue(values(complete("", "help")).containsAll(Set.of("probe", "every")), "help COMMAND");
        Files.writeString(tmp.resolve("nightly.jcr"), "ps\n");
        assertEquals(Set.of(tmp + "/nightly.jcr"), values(complete(tmp + "/", "repl", "-f")), "the value of -f SCRIPT");
        assertEquals(Set.of(), values(complete(tmp + "/", "repl", "--fail-fast")), "a flag takes no value: ARG is free-form");
    }

    @Test
    void jcrsOwnCommandsCompleteFromTheirModels() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            assertTrue(values(complete("", "check")).contains(Long.toString(p.pid())), "check PID");
            assertTrue(values(complete("", "check", "--json", Long.toString(p.pid()))).contains(Long.toString(p.pid())),
                    "check takes several PIDs");
        }
        assertTrue(values(complete("", "show")).containsAll(Set.of("decode", "encode", "info")), "show's subcommands");
        assertEquals(Set.of("auto", "always", "never"), values(complete("", "show", "decode", "--color")), "enum values");
        Path image = Files.createDirectories(tmp.resolve("job-1"));
        Files.write(image.resolve("pstree.img"), new byte[8]);
        assertEquals(Set.of(tmp + "/job-1/pstree.img"), values(complete(tmp + "/job-1/", "show", "info")), "show info FILE");
    }
}
