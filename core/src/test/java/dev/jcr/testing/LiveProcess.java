package dev.jcr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real process started for a test, NOT a child of the JVM (see {@link Fixture}). Its stdout and
 * stderr go to files in a private directory; {@link #close()} kills it with SIGKILL and waits until
 * /proc/PID is gone (init reaps orphans slowly on these machines).
 */
public final class LiveProcess implements AutoCloseable {

    private final long pid;
    private final Path dir;

    private LiveProcess(long pid, Path dir) {
        this.pid = pid;
        this.dir = dir;
    }

    /** Starts COMMAND (argv[0] = binary) detached, in its own session, and waits for "READY". */
    public static LiveProcess startDetached(Path binary, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        argv.addAll(args);
        return startCommand(argv, Duration.ofSeconds(20), "READY");
    }

    /**
     * Starts ARGV detached (via sh, reparented to init, new session, stdin from /dev/null) and waits
     * until its stdout contains READY_MARK (null: don't wait).
     */
    public static LiveProcess startCommand(List<String> argv, Duration timeout, String readyMark) {
        try {
            Path dir = Files.createTempDirectory("jcr-live-");
            StringBuilder cmd = new StringBuilder("setsid ");
            for (String a : argv) {
                cmd.append(shellQuote(a)).append(' ');
            }
            cmd.append("</dev/null >").append(shellQuote(dir.resolve("out").toString()))
                    .append(" 2>").append(shellQuote(dir.resolve("err").toString())).append(" & echo $!");
            Process sh = new ProcessBuilder("/bin/sh", "-c", cmd.toString()).start();
            String pidText = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            sh.waitFor(10, TimeUnit.SECONDS);
            LiveProcess p = new LiveProcess(Long.parseLong(pidText), dir);
            if (readyMark != null) {
                p.awaitOutput(readyMark, timeout);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return pid;
    }

    public Path dir() {
        return dir;
    }

    public String stdout() {
        return read("out");
    }

    public String stderr() {
        return read("err");
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    public boolean isAlive() {
        // A zombie still has /proc/PID; alive means not a zombie either.
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until stdout contains TEXT; fails with the process's output if it does not in time. The
     * timeout is a bound, never an expectation: it is raised to {@link #MIN_WAIT} because a loaded CI
     * machine can be many times slower than a developer's, and a passing wait returns at once anyway.
     */
    public String awaitOutput(String text, Duration timeout) {
        if (timeout.compareTo(MIN_WAIT) < 0) {
            timeout = MIN_WAIT;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = stdout();
            if (out.contains(text)) {
                return out;
            }
            if (!isAlive() && !stdout().contains(text)) {
                throw new AssertionError("process " + pid + " ended before printing '" + text + "'; stdout:\n"
                        + stdout() + "\nstderr:\n" + stderr());
            }
            sleep(10);
        }
        throw new AssertionError("process " + pid + " did not print '" + text + "' within " + timeout
                + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    /**
     * Sends SIG (e.g. "USR1") until stdout, from now on, contains PROOF (a fixture's "PASS …"), again every
     * 200 ms: a signal that lands just before a restored fixture goes back to waiting is not lost for good.
     * Fails at once on a "FAIL" line, and after {@link #MIN_WAIT}.
     */
    public void signalUntil(String sig, String proof) {
        int before = stdout().length();
        long deadline = System.nanoTime() + MIN_WAIT.toNanos();
        while (!stdout().substring(before).contains(proof)) {
            if (System.nanoTime() > deadline || stdout().substring(before).contains("FAIL")) {
                throw new AssertionError("process " + pid + ": no '" + proof + "' after SIG" + sig + "; stdout:\n"
                        + stdout() + "\nstderr:\n" + stderr());
            }
            if (isAlive()) {
                signal(sig);
            }
            sleep(200);
        }
    }

    /** Sends a signal by name or number, e.g. "USR1". */
    public void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shortest bound any wait on a fixture gets (see {@link #awaitOutput}). */
    public static final Duration MIN_WAIT = Duration.ofSeconds(30);

    /** Waits (bounded) until /proc/PID is gone, e.g. after the process exited or was killed. */
    public static void awaitGone(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    @Override
    public void close() {
        if (Files.exists(Path.of("/proc/" + pid))) {
            signal("KILL");
            awaitGone(pid, Duration.ofSeconds(10));
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
