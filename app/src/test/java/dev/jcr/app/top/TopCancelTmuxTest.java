package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.testing.Tmux;
import dev.jcr.testing.CrashTarget;
import dev.jcr.testing.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr-top closed while a dump runs — q, F10, or its terminal going away (tmux kill-session: SIGHUP) —
 * ends the dump cleanly: jcr-top exits 130, the dumped process runs on unharmed and no image
 * directory (not even a hidden temporary) remains. The dump is held in the middle of its page copy by
 * {@code JCR_FAULT=drain.spliced:pause}, whose notice (JCR_FAULT_LOG) tells the test the moment has
 * come.
 */
class TopCancelTmuxTest {

    private static final String SESSION = "cancel";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration STEP = Duration.ofSeconds(30);
    private final Tmux tmux = new Tmux("jcr-top-cancel", SESSION, false);

    @TempDir
    Path tmp;

    @BeforeEach
    void requireTmux() {
        Need.tool(Path.of("/usr/bin/tmux"), "tmux");
    }

    @AfterEach
    void cleanUp() throws Exception {
        tmux.kill();
    }

    @Test
    void quittingWithQMidDumpCancelsItCleanly() throws Exception {
        closeMidDump("q");
    }

    @Test
    void quittingWithF10MidDumpCancelsItCleanly() throws Exception {
        closeMidDump("F10");
    }

    @Test
    void theTerminalClosingMidDumpCancelsItCleanly() throws Exception {
        closeMidDump(null);
    }

    /** Dumps a fixture from jcr-top, then KEY (null: kills the tmux session, the terminal goes). */
    private void closeMidDump(String key) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path exit = tmp.resolve("exit");
        Path faults = tmp.resolve("faults.log");
        try (CrashTarget target = new CrashTarget(CrashTarget.Shape.PLAIN)) {
            target.snapshot();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // jcr-top runs in the background of a shell that, as an interactive shell does, passes a
            // SIGHUP (its terminal closing) on to its job, and then survives to write jcr-top's exit
            // status; the terminal is jcr-top's stdin
            String cmd = "exec 3<&0; JCR_FAULT=drain.spliced:pause JCR_FAULT_LOG='" + faults + "' '" + java + "' -cp '" + cp
                    + "' dev.jcr.app.top.TopMain --delay 0.5 --images '" + images + "' <&3 & p=$!;"
                    + " trap 'kill -HUP $p' HUP; wait $p; s=$?; while kill -0 $p 2>/dev/null; do wait $p; s=$?; done;"
                    + " echo $s > '" + exit + "'; echo JCR-TOP-EXITED; sleep 300";
            tmux.run("new-session", "-d", "-s", SESSION, "-x", "150", "-y", "40", "sh", "-c", cmd);
            tmux.awaitScreen("processes ", STARTUP);
            tmux.keys("/");
            tmux.awaitScreen("Search:", STEP);
            tmux.literal(Integer.toString(target.pid()));
            tmux.awaitScreen("Search: " + target.pid(), STEP);
            tmux.keys("Enter");
            tmux.awaitScreen("F1 Help", STEP);
            tmux.keys("d");
            tmux.awaitScreen("Dump " + target.pid(), STEP);
            tmux.keys("Tab");
            tmux.keys("Tab");
            tmux.keys("Tab");
            tmux.keys("Enter");
            long until = System.nanoTime() + STEP.toNanos();
            while (!(Files.exists(faults) && Files.readString(faults).contains("drain.spliced reached (pause)"))
                    && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(faults), "the dump reached the middle of its page copy");
            if (key != null) {
                tmux.keys(key);
            } else {
                tmux.kill(); // the terminal closes: SIGHUP
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!(Files.exists(exit) && !Files.readString(exit).isBlank()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(exit), "jcr-top ended");
            assertEquals("130", Files.readString(exit).strip(), "jcr-top's exit status");
            try (Stream<Path> s = Files.list(images)) {
                assertEquals(List.of(), s.toList(), "no image directory, not even a hidden temporary");
            }
            target.assertUnharmed("jcr-top closed mid-dump (" + (key == null ? "terminal closed" : key) + ")", false);
            target.finish();
        }
    }
}
