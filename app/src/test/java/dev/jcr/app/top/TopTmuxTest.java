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

    @Test
    void filterDumpImagesAndQuitRestoreTheTerminal() throws Exception {
        family = Fixture.start("top_family");
        long parent = Long.parseLong(family.stdout().strip().split("\\s+")[1]);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "'" + java + "' -cp '" + cp + "' dev.jcr.app.top.TopMain --delay 0.5 --images '" + images
                + "'; echo JCR-TOP-EXITED $?; sleep 300";
        tmux("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", "sh", "-c", cmd);

        awaitScreen("processes ", Duration.ofSeconds(60));
        keys("\\");
        literal("top_family");
        keys("Enter");
        String screen = awaitScreen(" " + parent + " ", Duration.ofSeconds(60));
        assertTrue(screen.contains("filter top_family"), screen);

        // select the parent (first match after its dimmed ancestors) by searching its pid
        keys("/");
        literal(Long.toString(parent));
        keys("Enter");
        keys("d");
        awaitScreen("Dump " + parent, Duration.ofSeconds(10));
        keys("Tab");
        keys("Tab");
        keys("Space"); // --shell-job: the engine asks it for the children (see TopScreenTest)
        keys("Tab");
        keys("Enter");
        screen = awaitScreen("left running", Duration.ofSeconds(60));
        assertTrue(screen.contains("dumped 3 processes"), screen);
        assertTrue(family.isAlive());

        keys("i");
        screen = awaitScreen("Images in " + images, Duration.ofSeconds(10));
        assertTrue(screen.contains(images + "/top_family"), screen);
        keys("Escape");
        Thread.sleep(300);
        keys("q");
        screen = awaitScreen("JCR-TOP-EXITED 0", Duration.ofSeconds(20));
        assertFalse(screen.contains("F1 Help"), "the UI is gone:\n" + screen);
        assertEquals("0", tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}").strip(), "alternate screen is off");
        assertEquals("1", tmux("display-message", "-p", "-t", SESSION, "#{cursor_flag}").strip(), "cursor is visible");
        // the dump exists and CRIU's crit decodes it
        Path dump;
        try (var dirs = Files.list(images)) {
            dump = dirs.filter(d -> d.getFileName().toString().startsWith("top_family")).findFirst().orElseThrow();
        }
        String pstree = Crit.decode(dump.resolve("pstree.img"));
        assertTrue(pstree.contains("\"pid\": " + parent), pstree);
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
        Thread.sleep(150);
    }

    private void literal(String text) throws Exception {
        tmux("send-keys", "-t", SESSION, "-l", text);
        Thread.sleep(150);
    }

    private String awaitScreen(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", SESSION);
            if (screen.contains(text)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("screen did not show '" + text + "' within " + timeout + ":\n" + screen);
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
