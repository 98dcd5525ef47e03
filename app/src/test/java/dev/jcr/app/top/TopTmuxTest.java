package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in a real terminal: jcr-top runs inside tmux (its own server socket), keys are sent with
 * send-keys and the screen read with capture-pane. After quitting, the terminal must be back to normal
 * (alternate screen off, the shell's next output visible).
 */
class TopTmuxTest {

    private final String server = "jcr-top-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SESSION = "top";
    /** Bounds of the polls: generous, a loaded machine (2 cores, several builds) is slow, a healthy one is not. */
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration DUMP = Duration.ofSeconds(90);

    @TempDir
    Path images;

    private LiveProcess family;

    @BeforeEach
    void requireTmux() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (bin/test installs it)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        tmux("kill-server");
        if (family != null) {
            family.close();
        }
    }

    /**
     * The scenario: start jcr-top, filter to a fixture process, dump it, see success, open the image
     * browser, diff two dumps, quit. Every step waits (bounded) for what it made appear on the screen before
     * the next key is sent, never a fixed time: under load the UI may be slow, and an Esc followed too
     * quickly by another key would read as Alt+key.
     */
    @Test
    void filterDumpTwiceDiffTheImagesAndQuitRestoreTheTerminal() throws Exception {
        family = Fixture.start("top_family");
        long parent = Long.parseLong(family.stdout().strip().split("\\s+")[1]);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -cp '" + cp + "' dev.jcr.app.top.TopMain --delay 0.5 --images '" + images
                + "'; echo JCR-TOP-EXITED $?; sleep 300";
        tmux("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", "sh", "-c", cmd);

        awaitScreen("processes ", STARTUP);
        keys("\\");
        awaitScreen("Filter:", STEP);
        literal("top_family");
        awaitScreen("Filter: top_family", STEP);
        keys("Enter");
        String screen = awaitScreen(s -> s.contains("filter top_family") && s.contains(" " + parent + " ")
                && s.contains("F1 Help"), "the filtered tree with pid " + parent, STEP);

        // select the parent (the first match after its dimmed ancestors) by searching its pid
        keys("/");
        awaitScreen("Search:", STEP);
        literal(Long.toString(parent));
        awaitScreen("Search: " + parent, STEP);
        keys("Enter");
        awaitScreen("F1 Help", STEP);
        dump(parent, null);
        screen = awaitScreen("dumped 3 processes", DUMP);
        // a long message wraps onto a second row, continuing after the row's leading space
        assertTrue(screen.replace("\n ", "").contains("left running"), screen);
        assertTrue(family.isAlive());

        // a second dump of the same tree, into the default directory with a suffix (both may fall in one second)
        dump(parent, "-second");
        awaitScreen("dumped 3 processes", DUMP);
        assertTrue(family.isAlive());

        keys("i");
        screen = awaitScreen(s -> s.contains("Images in " + images) && s.contains("-second"), "both images listed", STEP);
        assertTrue(screen.contains(images + "/top_family"), screen);
        keys("Space"); // marks the newest (the second dump)
        keys("Down");
        keys("Space"); // and the first
        keys("D");
        // the images are named after the comm (cut to 15 bytes by the kernel), pid and time
        // two dumps of processes asleep in pause(): the same, or some bytes of stack apart; with many
        // changes the summary line is below the panel's fold, so any first line of a verdict will do
        screen = awaitScreen(s -> s.contains("Diff top_family") && s.contains("+++ " + images)
                && (s.contains("no differences") || s.contains("~ process") || s.contains("summary:")),
                "the diff panel with its verdict", DUMP);
        assertTrue(screen.matches("(?s).*Diff top_family\\S*-" + parent + "-\\d{8}-\\d{6}-second → top_family\\S*-" + parent
                + "-\\d{8}-\\d{6} .*"), "the first marked (the second dump) is the 'before' side:\n" + screen);
        keys("Escape");
        awaitScreen(s -> !s.contains("Diff top_family") && s.contains("Images in"), "the diff panel closed", STEP);
        keys("Escape");
        awaitScreen(s -> !s.contains("Images in") && s.contains("filter top_family"), "back on the main screen", STEP);
        keys("q");
        screen = awaitScreen("JCR-TOP-EXITED 0", STEP);
        assertFalse(screen.contains("F1 Help"), "the UI is gone:\n" + screen);
        assertEquals("0", tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}").strip(), "alternate screen is off");
        assertEquals("1", tmux("display-message", "-p", "-t", SESSION, "#{cursor_flag}").strip(), "cursor is visible");
        // both dumps exist and CRIU's crit decodes them
        List<Path> dumps;
        try (var dirs = Files.list(images)) {
            dumps = dirs.filter(d -> d.getFileName().toString().startsWith("top_family")).sorted().toList();
        }
        assertEquals(2, dumps.size(), dumps.toString());
        for (Path dump : dumps) {
            String pstree = Crit.decode(dump.resolve("pstree.img"));
            assertTrue(pstree.contains("\"pid\": " + parent), pstree);
        }
    }

    /**
     * d on the selected PARENT, --shell-job on (the engine asks it for the children, see TopScreenTest),
     * SUFFIX (when not null) appended to the default directory, then Dump.
     */
    private void dump(long parent, String suffix) throws Exception {
        keys("d");
        String screen = awaitScreen("Dump " + parent, STEP);
        if (suffix != null) {
            literal(suffix); // the directory field has the focus, its caret after the default text
            awaitScreen(suffix, STEP);
        }
        keys("Tab");
        keys("Tab");
        if (screen.contains("[ ] --shell-job")) {
            keys("Space");
            awaitScreen(s -> !s.contains("[ ] --shell-job"), "--shell-job checked", STEP);
        }
        keys("Tab");
        keys("Enter");
        awaitScreen(s -> !s.contains("Dump " + parent), "the dump dialog closed", STEP);
    }

    @Test
    void badOptionsAreOneLineErrorsWithUsageExitCode() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> args : List.of(List.of("--theme", "nope"), List.of("--delay", "0"), List.of("--delay", "x"))) {
            List<String> c = new ArrayList<>(List.of(java, "-cp", cp, "dev.jcr.app.top.TopMain"));
            c.addAll(args);
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), args + ": " + out);
            assertTrue(out.startsWith("jcr-top: "), out);
            assertFalse(out.contains("Exception"), out);
        }
        Process p = new ProcessBuilder(java, "-cp", cp, "dev.jcr.app.top.TopMain", "--list-themes").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("dark") && out.contains("light") && out.contains("mono"), out);
    }

    private void keys(String key) throws Exception {
        tmux("send-keys", "-t", SESSION, key);
    }

    private void literal(String text) throws Exception {
        tmux("send-keys", "-t", SESSION, "-l", "--", text); // "--": a text starting with '-' is no option
    }

    private String awaitScreen(String text, Duration timeout) throws Exception {
        return awaitScreen(s -> s.contains(text), "'" + text + "'", timeout);
    }

    /** Polls capture-pane until the screen satisfies WANTED; fails with the last screen after TIMEOUT. */
    private String awaitScreen(Predicate<String> wanted, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", SESSION);
            if (wanted.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("screen did not show " + what + " within " + timeout + ":\n" + screen);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("tmux", "-L", server));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
