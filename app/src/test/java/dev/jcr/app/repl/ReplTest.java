package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive REPL on JLine's DumbTerminal fed from a stream. The terminal type is "ansi" so
 * that the line reader uses its key bindings (Tab, Ctrl-P, Ctrl-D); on type "dumb" JLine reads
 * plain lines.
 */
class ReplTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    private Terminal terminal(InputStream in) throws Exception {
        Terminal t = new DumbTerminal("test", "ansi", in, screen, StandardCharsets.UTF_8);
        t.setSize(new Size(160, 50));
        return t;
    }

    private Map<String, String> env() {
        return Map.of("HOME", tmp.resolve("home").toString(), "XDG_DATA_HOME", tmp.resolve("xdg").toString());
    }

    private Session session(Terminal t) {
        return new Session(TestCommands::create, t.writer(), t.writer(), env());
    }

    private int repl(String input) throws Exception {
        Terminal t = terminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        int status = new Repl(session(t), t, HistoryLocation.of(env())).run();
        t.flush();
        return status;
    }

    /** What a person would read: no control sequences, no carriage returns. */
    private String screen() {
        return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;?]*[a-zA-Z]", "").replace("\r", "");
    }

    @Test
    void helpForACommandIsTheSameTextAsItsHelpOption() throws Exception {
        StringWriter cli = new StringWriter();
        Main.execute(new String[] {"run", "--help"}, new PrintWriter(cli, true), new PrintWriter(new StringWriter(), true));
        assertEquals(0, repl("help run\n"));
        assertTrue(cli.toString().startsWith("Usage: jcr run"), cli.toString());
        assertTrue(screen().contains(cli.toString()), screen());
    }

    @Test
    void helpListsTheCliCommandsAndTheBuiltins() throws Exception {
        repl("help\n");
        String s = screen();
        assertTrue(s.contains("jcr commands (the same as 'jcr COMMAND' on the shell):"), s);
        assertTrue(s.contains("  probe      Prints a process's state and name (test only)."), s);
        assertTrue(s.contains("  every      Run a command again and again, such as periodic dumps.\n"), s);
        assertTrue(s.contains("  exit, quit Leave the REPL or end the script.\n"), s);
    }

    @Test
    void tabCompletesCommandNamesAndOptionsInTheLineReader() throws Exception {
        assertEquals(0, repl("ech\t hi\nevery 10ms --cou\t 2 ec\t tick\n"));
        String s = screen();
        assertTrue(s.contains("\nhi\n"), s);
        assertTrue(s.contains("every: #1 ") && s.contains("every: #2 "), s);
        assertTrue(s.contains("every: stopped after 2 runs (2 ok, 0 failed)"), s);
    }

    @Test
    void historyIsKeptInXdgDataHomeAndRecalledInTheNextSession() throws Exception {
        repl("set who first\necho hello $who\n");
        Path file = tmp.resolve("xdg/jcr/history");
        String saved = Files.readString(file);
        assertTrue(saved.contains("echo hello $who"), saved);
        screen.reset();
        // Ctrl-P twice goes back past this session's line to the previous session's "echo hello $who"
        assertEquals(0, repl("set who second\n\u0010\u0010\nhistory\n"));
        String s = screen();
        assertTrue(s.contains("\nhello second\n"), "the recalled line ran in the new session: " + s);
        assertTrue(s.contains("    1  set who first\n    2  echo hello $who\n    3  set who second\n    4  echo hello $who\n"),
                "history lists both sessions: " + s);
    }

    @Test
    void exitLeavesWithItsStatusAndEndOfInputWithZero() throws Exception {
        assertEquals(3, repl("exit 3\necho never\n"));
        assertFalse(screen().contains("\nnever\n"), screen());
        assertEquals(0, repl("echo a\n"), "end of input is Ctrl-D (a real Ctrl-D: ReplTerminalTest)");
    }

    @Test
    void ctrlCCancelsTheRunningCommandAndTheReplGoesOn() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        Terminal t = terminal(new PipedInputStream(keys));
        Session session = session(t);
        CompletableFuture<Integer> repl = CompletableFuture.supplyAsync(() -> new Repl(session, t, null).run());
        keys.write("sleep 1h\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!session.cancellation().isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        t.raise(Terminal.Signal.INT); // what the terminal does on Ctrl-C
        keys.write("echo after $?\n".getBytes(StandardCharsets.UTF_8));
        keys.close();
        assertEquals(0, repl.get(20, TimeUnit.SECONDS));
        t.flush();
        String s = screen();
        assertTrue(s.contains("(cancelled)\n"), s);
        assertTrue(s.contains("\nafter 130\n"), "the REPL went on, and $? says cancelled: " + s);
    }

    @Test
    void historyFileGoesUnderXdgDataHomeElseHome() {
        assertEquals(Path.of("/x/jcr/history"), HistoryLocation.of(Map.of("XDG_DATA_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/h/.local/share/jcr/history"), HistoryLocation.of(Map.of("HOME", "/h")));
        assertEquals(Path.of("/h/.local/share/jcr/history"), HistoryLocation.of(Map.of("XDG_DATA_HOME", "rel", "HOME", "/h")),
                "a relative XDG_DATA_HOME is ignored, as the spec says");
    }
}
