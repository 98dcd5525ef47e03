package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.app.testing.Tmux;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * --shell-job end to end on a real terminal: a job of an interactive bash inside tmux is dumped
 * with --shell-job (and killed); without --shell-job the images are refused with that advice; with
 * it, `jcr restore` typed into the same shell gives the job jcr's terminal, in the foreground
 * process group, so that it reads a line typed there and jcr exits with its status.
 */
@Timeout(180)
class ShellJobTmuxTest {

    private static final String SESSION = "job";
    private final Tmux tmux = new Tmux("jcr-shelljob", SESSION, true);

    @TempDir
    Path tmp;

    private long pid = -1;

    @BeforeEach
    void requireTmux() {
        Need.tool(Path.of("/usr/bin/tmux"), "tmux");
        Need.tool(Path.of("/bin/bash"), "bash");
    }

    @AfterEach
    void cleanUp() throws Exception {
        tmux.kill();
        if (pid > 0 && Files.exists(Path.of("/proc/" + pid))) {
            new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
            LiveProcess.awaitGone(pid, Duration.ofSeconds(30));
        }
    }

    @Test
    void aShellJobIsRestoredOntoJcrsTerminalInTheForegroundAndReadsFromIt() throws Exception {
        Path binary = Fixture.compile("tty_job");
        Path pidFile = tmp.resolve("pid");
        Path dir = tmp.resolve("img");
        tmux.run("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "40", "env", "PS1=$ ", "/bin/bash", "--norc",
                "--noprofile", "-i");
        tmux.awaitScreen("$", Duration.ofSeconds(30));
        tmux.literal("'" + binary + "' '" + pidFile + "'");
        tmux.keys("Enter");
        tmux.awaitScreen("READY", Duration.ofSeconds(30));
        pid = Long.parseLong(awaitFile(pidFile).strip());

        new DumpEngine().dump((int) pid, DumpOptions.to(dir).withKill(true).withShellJob(true), DumpListener.NONE);
        LiveProcess.awaitGone(pid, Duration.ofSeconds(30));

        // without --shell-job: refused, naming the terminal and the option
        JcrException e = assertThrows(JcrException.class,
                () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
        assertEquals(JcrException.Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("--shell-job"), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "a refused restore creates nothing");

        Path script = tmp.resolve("restore.sh");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "'" + java + "' -XX:-UsePerfData -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + cp
                + "' dev.jcr.app.Main restore --shell-job -D '" + dir + "'\necho RESTORE-EXITED $?\n");
        tmux.literal("sh '" + script + "'");
        tmux.keys("Enter");
        awaitRunningUntraced(pid, Duration.ofSeconds(60));
        new ProcessBuilder("kill", "-USR1", Long.toString(pid)).start().waitFor();
        tmux.awaitScreen("ASK", Duration.ofSeconds(30));
        tmux.literal("hello");
        tmux.keys("Enter");
        String screen = tmux.awaitScreen("RESTORE-EXITED", Duration.ofSeconds(30));
        assertTrue(screen.contains("PASS tty hello"), screen);
        assertTrue(screen.contains("RESTORE-EXITED 0"), screen);
    }

    @Test
    void viComesBackInItsTerminalModeAndRedrawsItsScreenForTheWindowItIsIn() throws Exception {
        Need.tool(Path.of("/usr/bin/vi"), "vi");
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "first line of the notes\nsecond line of the notes\n");
        Path dir = tmp.resolve("img");
        tmux.run("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", "env", "PS1=$ ", "/bin/bash", "--norc",
                "--noprofile", "-i");
        tmux.awaitScreen("$", Duration.ofSeconds(30));
        // no vimrc, viminfo or swap file: nothing of vi's outside its process
        tmux.literal("vi -u NONE -i NONE -n '" + notes + "'");
        tmux.keys("Enter");
        tmux.awaitScreen("second line of the notes", Duration.ofSeconds(30));
        long shell = Long.parseLong(tmux.run("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip());
        pid = awaitChild(shell);
        String tty = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString();
        String rawMode = stty(tty, "-g");
        String size = stty(tty, "size");

        new DumpEngine().dump((int) pid, DumpOptions.to(dir).withKill(true).withShellJob(true), DumpListener.NONE);
        tmux.awaitScreen("$", Duration.ofSeconds(30));
        tmux.literal("clear");
        tmux.keys("Enter");
        tmux.awaitScreen(s -> !s.contains("second line of the notes"), "a cleared screen", Duration.ofSeconds(30));
        // another window now: the restored vi must fit it (the dumped size was the old window's)
        tmux.run("resize-window", "-t", SESSION, "-x", "100", "-y", "25");

        Path script = tmp.resolve("restore.sh");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "'" + java + "' -XX:-UsePerfData -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + cp
                + "' dev.jcr.app.Main restore --shell-job -D '" + dir + "'\necho RESTORE-EXITED $?\n");
        tmux.literal("sh '" + script + "'");
        tmux.keys("Enter");
        awaitRunningUntraced(pid, Duration.ofSeconds(60));
        // vi redraws on the SIGWINCH the restore sends: its text is on the screen again
        tmux.awaitScreen("second line of the notes", Duration.ofSeconds(30));
        assertEquals(rawMode, stty(tty, "-g"), "the terminal is in vi's mode again (no echo, no line editing)");
        assertEquals("25 100", stty(tty, "size"), "the window's size, which vi redraws for (was " + size + ")");
        tmux.literal(":q!");
        tmux.keys("Enter");
        String screen = tmux.awaitScreen("RESTORE-EXITED", Duration.ofSeconds(30));
        assertTrue(screen.contains("RESTORE-EXITED 0"), screen);
    }

    /** stty ARG of terminal TTY, read from outside (stty -F). */
    private static String stty(String tty, String arg) throws Exception {
        Process p = new ProcessBuilder("stty", "-F", tty, arg).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "stty -F " + tty + " " + arg + ": " + out);
        return out;
    }

    /** The first child of PID that is running vi (bounded wait). */
    private static long awaitChild(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String kids = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
            if (!kids.isEmpty()) {
                return Long.parseLong(kids.split(" ")[0]);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no child of " + pid);
    }

    private static String awaitFile(Path f) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(f)) {
                return Files.readString(f);
            }
            Thread.sleep(50);
        }
        throw new AssertionError(f + " was not written");
    }

    /** Waits until PID exists, no tracer holds it (jcr has resumed it) and it is not stopped. */
    private static void awaitRunningUntraced(long pid, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            try {
                status = Files.readString(Path.of("/proc/" + pid + "/status"));
                if (status.contains("TracerPid:\t0\n") && !status.contains("State:\tt") && !status.contains("State:\tT")) {
                    return;
                }
            } catch (IOException e) {
                // not created yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("process " + pid + " was not restored and resumed in " + timeout + ":\n" + status);
    }
}
