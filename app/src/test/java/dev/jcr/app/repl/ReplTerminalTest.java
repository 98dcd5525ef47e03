package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr on a real terminal: tmux gives it a pty, sends real keys (Tab, Ctrl-C, Ctrl-D) and shows
 * the screen. Proves what a stream-fed terminal cannot: 'jcr' without arguments opens the REPL on
 * a terminal, the kernel's SIGINT reaches the running command, Ctrl-D on an empty line leaves.
 */
class ReplTerminalTest {

    @TempDir
    Path tmp;

    private final String session = "jcr-repl-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void killSession() throws Exception {
        tmux("kill-session", "-t", session);
    }

    @Test
    void jcrWithoutArgumentsOnATerminalIsTheReplWithTabCtrlCAndCtrlD() throws Exception {
        Need.tool(Path.of("/usr/bin/tmux"), "tmux");
        StringBuilder shell = new StringBuilder("env XDG_DATA_HOME=" + quote(tmp.toString()) + " TERM=xterm-256color");
        for (String w : JcrProcess.command()) {
            shell.append(' ').append(quote(w));
        }
        shell.append("; echo EXIT=$?; sleep 60");
        tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", shell.toString());
        await(s -> lastLine(s).equals("jcr>"), "the prompt");

        keys("ev", "Tab");
        await(s -> lastLine(s).equals("jcr> every"), "Tab completed 'ev' to 'every'");
        keys(" 1h echo tick", "Enter");
        await(s -> s.contains("\ntick\n"), "the first run");
        keys("C-c");
        await(s -> s.contains(": cancelled (Ctrl-C)") && lastLine(s).startsWith("jcr [130]>"), "every stopped, prompt back");

        keys("echo dropped");
        await(s -> lastLine(s).equals("jcr [130]> echo dropped"), "the typed line");
        keys("C-c");
        await(s -> s.contains("jcr [130]> echo dropped\n") && lastLine(s).equals("jcr [130]>"), "a fresh prompt after Ctrl-C on a typed line");
        keys("echo kept", "Enter");
        await(s -> s.contains("\nkept\n"), "the next line runs");
        assertFalse(screen().contains("\ndropped\n"), "the dropped line did not run: " + screen());

        keys("C-d");
        await(s -> s.contains("EXIT=0"), "Ctrl-D left the REPL with status 0");
        String history = Files.readString(tmp.resolve("jcr/history"));
        assertTrue(history.contains("every  1h echo tick") && history.contains("echo kept"), history);
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", session);
    }

    private void await(Predicate<String> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String s = screen();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; screen:\n" + s);
            }
            Thread.sleep(50);
            s = screen();
        }
    }

    private static String lastLine(String screen) {
        String[] lines = screen.stripTrailing().split("\n");
        return lines[lines.length - 1].stripTrailing();
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", "jcr-tests"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
