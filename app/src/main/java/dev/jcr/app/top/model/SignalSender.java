package dev.jcr.app.top.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends a signal with the system's kill(1); the reason of a failure is kill's own message. */
public final class SignalSender {

    /** The signals offered, most used first. */
    public static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "KILL", "STOP", "CONT", "USR1", "USR2", "QUIT");

    /** Sends SIG to PID; returns empty on success, else the reason. */
    public String send(long pid, String sig) {
        if (!SIGNALS.contains(sig)) {
            return "unknown signal " + sig;
        }
        try {
            Process p = new ProcessBuilder("kill", "-s", sig, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "kill did not finish";
            }
            return p.exitValue() == 0 ? "" : (out.isEmpty() ? "kill failed with status " + p.exitValue() : out);
        } catch (IOException e) {
            return "cannot run kill: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
