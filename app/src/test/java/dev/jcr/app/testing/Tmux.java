package dev.jcr.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for end-to-end tests: one tmux server of its own (a fresh socket name, so tests
 * never see each other's sessions or the user's) with one session; keys go in with send-keys, the
 * screen comes back with capture-pane, and every wait is a bounded poll of the screen.
 */
public final class Tmux {

    private final String server;
    private final String session;
    private final boolean joinWrapped;

    /**
     * SERVER_PREFIX names the socket (a random suffix is added), SESSION the session to drive;
     * JOIN_WRAPPED captures a line the terminal wrapped as one (for shell output, not for a full-screen UI).
     */
    public Tmux(String serverPrefix, String session, boolean joinWrapped) {
        this.server = serverPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.session = session;
        this.joinWrapped = joinWrapped;
    }

    public String session() {
        return session;
    }

    /** Runs {@code tmux -L SERVER ARGS…}; returns what it printed (stdout and stderr). */
    public String run(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("tmux", "-L", server));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Sends a key by tmux's name for it ("Enter", "Escape", "q" …). */
    public void keys(String key) throws IOException, InterruptedException {
        run("send-keys", "-t", session, key);
    }

    /** Types TEXT literally. */
    public void literal(String text) throws IOException, InterruptedException {
        run("send-keys", "-t", session, "-l", "--", text); // "--": a text starting with '-' is no option
    }

    public String awaitScreen(String text, Duration timeout) throws IOException, InterruptedException {
        return awaitScreen(s -> s.contains(text), "'" + text + "'", timeout);
    }

    /** Polls capture-pane until the screen satisfies WANTED; fails with the last screen after TIMEOUT. */
    public String awaitScreen(Predicate<String> wanted, String what, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = joinWrapped ? run("capture-pane", "-p", "-J", "-t", session) : run("capture-pane", "-p", "-t", session);
            if (wanted.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("screen did not show " + what + " within " + timeout + ":\n" + screen);
    }

    /** Ends the server and everything that runs in it. */
    public void kill() throws IOException, InterruptedException {
        run("kill-server");
    }
}
