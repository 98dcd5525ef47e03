package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.testing.Tmux;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in a real terminal: jcr-top runs inside tmux (its own server socket), keys are sent with
 * send-keys and the screen read with capture-pane. After quitting, the terminal must be back to normal
 * (alternate screen off, the shell's next output visible).
 */
class TopTmuxTest {

    private static final String SESSION = "top";
    private final Tmux tmux = new Tmux("jcr-top-test", SESSION, false);
    /** Bounds of the polls: generous, a loaded machine (2 cores, several builds) is slow, a healthy one is not. */
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration DUMP = Duration.ofSeconds(90);

    @TempDir
    Path images;

    private LiveProcess family;

    @BeforeEach
    void requireTmux() {
        Need.tool(Path.of("/usr/bin/tmux"), "tmux");
    }

    @AfterEach
    void cleanUp() throws Exception {
        tmux.kill();
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
        String cmd = "'" + java + "' -XX:-UsePerfData -cp '" + cp + "' dev.jcr.app.top.TopMain --delay 0.5 --images '" + images
                + "'; echo JCR-TOP-EXITED $?; sleep 300";
        tmux.run("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", "sh", "-c", cmd);

        tmux.awaitScreen("processes ", STARTUP);
        tmux.keys("\\");
        tmux.awaitScreen("Filter:", STEP);
        tmux.literal("top_family");
        tmux.awaitScreen("Filter: top_family", STEP);
        tmux.keys("Enter");
        String screen = tmux.awaitScreen(s -> s.contains("filter top_family") && s.contains(" " + parent + " ")
                && s.contains("F1 Help"), "the filtered tree with pid " + parent, STEP);

        // select the parent (the first match after its dimmed ancestors) by searching its pid
        tmux.keys("/");
        tmux.awaitScreen("Search:", STEP);
        tmux.literal(Long.toString(parent));
        tmux.awaitScreen("Search: " + parent, STEP);
        tmux.keys("Enter");
        tmux.awaitScreen("F1 Help", STEP);
        dump(parent, null);
        screen = tmux.awaitScreen("dumped 3 processes", DUMP);
        // a long message wraps onto a second row, continuing after the row's leading space
        assertTrue(screen.replace("\n ", "").contains("left running"), screen);
        assertTrue(family.isAlive());

        // a second dump of the same tree, into the default directory with a suffix (both may fall in one second)
        dump(parent, "-second");
        tmux.awaitScreen("dumped 3 processes", DUMP);
        assertTrue(family.isAlive());

        tmux.keys("i");
        screen = tmux.awaitScreen(s -> s.contains("Images in " + images) && s.contains("-second"), "both images listed", STEP);
        assertTrue(screen.contains(images + "/top_family"), screen);
        tmux.keys("Space"); // marks the newest (the second dump)
        tmux.keys("Down");
        tmux.keys("Space"); // and the first
        tmux.keys("D");
        // the images are named after the comm (cut to 15 bytes by the kernel), pid and time
        // two dumps of processes asleep in pause(): the same, or some bytes of stack apart; with many
        // changes the summary line is below the panel's fold, so any first line of a verdict will do
        screen = tmux.awaitScreen(s -> s.contains("Diff top_family") && s.contains("+++ " + images)
                && (s.contains("no differences") || s.contains("~ process") || s.contains("summary:")),
                "the diff panel with its verdict", DUMP);
        assertTrue(screen.matches("(?s).*Diff top_family\\S*-" + parent + "-\\d{8}-\\d{6}-second → top_family\\S*-" + parent
                + "-\\d{8}-\\d{6} .*"), "the first marked (the second dump) is the 'before' side:\n" + screen);
        tmux.keys("Escape");
        tmux.awaitScreen(s -> !s.contains("Diff top_family") && s.contains("Images in"), "the diff panel closed", STEP);
        tmux.keys("Escape");
        tmux.awaitScreen(s -> !s.contains("Images in") && s.contains("filter top_family"), "back on the main screen", STEP);
        tmux.keys("q");
        screen = tmux.awaitScreen("JCR-TOP-EXITED 0", STEP);
        assertFalse(screen.contains("F1 Help"), "the UI is gone:\n" + screen);
        assertEquals("0", tmux.run("display-message", "-p", "-t", SESSION, "#{alternate_on}").strip(), "alternate screen is off");
        assertEquals("1", tmux.run("display-message", "-p", "-t", SESSION, "#{cursor_flag}").strip(), "cursor is visible");
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
        tmux.keys("d");
        String screen = tmux.awaitScreen("Dump " + parent, STEP);
        if (suffix != null) {
            tmux.literal(suffix); // the directory field has the focus, its caret after the default text
            tmux.awaitScreen(suffix, STEP);
        }
        tmux.keys("Tab");
        tmux.keys("Tab");
        if (screen.contains("[ ] --shell-job")) {
            tmux.keys("Space");
            tmux.awaitScreen(s -> !s.contains("[ ] --shell-job"), "--shell-job checked", STEP);
        }
        tmux.keys("Tab");
        tmux.keys("Enter");
        tmux.awaitScreen(s -> !s.contains("Dump " + parent), "the dump dialog closed", STEP);
    }

    @Test
    void badOptionsAreOneLineErrorsWithUsageExitCode() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (List<String> args : List.of(List.of("--theme", "nope"), List.of("--delay", "0"), List.of("--delay", "x"))) {
            List<String> c = new ArrayList<>(List.of(java, "-XX:-UsePerfData", "-cp", cp, "dev.jcr.app.top.TopMain"));
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
}
