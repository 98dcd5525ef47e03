package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.Need;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real terminal multiplexer end to end: a detached tmux server of its own (its own -L socket) with a
 * counter running in a pane holds a unix listening socket, a pty master, the pane's shell on the slave
 * as its controlling terminal, and the shell's children. It is checked (checkpointable, no option),
 * dumped with --kill, restored, and a new tmux client talks to it over the restored socket and sees the
 * pane go on counting.
 */
@Timeout(180)
class TmuxServerRestoreTest {

    private static final Pattern COUNT = Pattern.compile("count (\\d+)");

    @TempDir
    Path tmp;

    private final String socket = "jcr-tmux-" + UUID.randomUUID().toString().substring(0, 8);

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        c.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("TMUX_TMPDIR", tmp.toString());
        env.put("SHELL", "/bin/sh");
        env.remove("TMUX");
        if (dev.jcr.resource.DriverTable.standard().get(dev.jcr.resource.ResourceKind.EVENTPOLL,
                dev.jcr.proc.OpenFd.class).isEmpty()) {
            env.put("EVENT_NOEPOLL", "1"); // libevent then polls with poll(2): no epoll fd to dump yet
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** The highest count the pane shows now (-1 when none yet). */
    private int shown() throws IOException, InterruptedException {
        Matcher m = COUNT.matcher(tmux("capture-pane", "-p", "-t", "counter"));
        int max = -1;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    private int awaitCountAbove(int floor, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n;
        while ((n = shown()) <= floor) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pane shows no count above " + floor + ":\n"
                        + tmux("capture-pane", "-p", "-t", "counter"));
            }
            Thread.sleep(100);
        }
        return n;
    }

    @Test
    void aDetachedTmuxServerComesBackWithItsPaneStillCounting() throws Exception {
        Need.tool(Path.of("/usr/bin/tmux"), "tmux");
        long server = -1;
        try {
            tmux("new-session", "-d", "-s", "counter", "-x", "80", "-y", "24",
                    "i=0; while :; do echo count $i; i=$((i+1)); sleep 0.2; done");
            server = Long.parseLong(tmux("display-message", "-p", "-t", "counter", "#{pid}").trim());
            int before = awaitCountAbove(2, Duration.ofSeconds(20));

            TreeReport check = TreeCheck.system().check(server, Set.of());
            assertTrue(check.checkpointable(), String.join("\n", check.messages()));
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) server, DumpOptions.to(dir).withKill(true), DumpListener.NONE);
            LiveProcess.awaitGone(server, Duration.ofSeconds(30));

            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            assertEquals(server, r.rootPid(), "the server has its own pid again");
            int after = awaitCountAbove(before + 5, Duration.ofSeconds(30));
            assertTrue(after > before + 5);
            assertTrue(tmux("list-panes", "-t", "counter", "-F", "#{pane_tty} #{pane_current_command}")
                    .startsWith("/dev/pts/"), "the pane has its terminal");
        } finally {
            tmux("kill-server");
            if (server > 0) {
                try {
                    dev.jcr.sys.Linux.kill((int) server, 9);
                } catch (RuntimeException ignored) {
                    // gone already
                }
                LiveProcess.awaitGone(server, Duration.ofSeconds(20));
            }
        }
    }
}
