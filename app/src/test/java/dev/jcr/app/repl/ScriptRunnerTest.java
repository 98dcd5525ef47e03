package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {

    @TempDir
    Path tmp;

    private static int run(TestCommands.Captured c, String name, String script, boolean failFast) throws IOException {
        return new ScriptRunner(c.session, name, failFast).run(new BufferedReader(new StringReader(script)));
    }

    @Test
    void scriptRunsCommandsOnALiveProcessWithVariablesAndComments() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().arguments(List.of(Long.toString(p.pid())));
            String script = """
                    # look at the job given as the first argument
                    set pid $1
                    probe $pid      # a comment after a command
                    echo "probe said $?" \\
                         and status=$status
                    """;
            assertEquals(0, run(c, "look.jcr", script, false), c.err());
            String[] lines = c.out().split("\n");
            assertTrue(lines[0].startsWith(p.pid() + " "), c.out());
            assertTrue(lines[0].contains(" loop-"), "probe names the fixture: " + c.out());
            assertEquals("probe said 0 and status=0", lines[1]);
            assertEquals("", c.err());
        }
    }

    @Test
    void failFastStopsAtTheFailingLineAndNamesScriptLineAndCommand() throws Exception {
        LiveProcess p = Fixture.start("loop");
        long pid = p.pid();
        p.close(); // now certainly gone
        TestCommands.Captured c = new TestCommands.Captured();
        String script = "echo one\n\nprobe " + pid + "\necho never\n";
        int status = run(c, "job.jcr", script, true);
        assertEquals(ExitCode.NO_SUCH_PROCESS.code, status);
        assertEquals("one\n", c.out(), "nothing after the failing line ran");
        assertTrue(c.err().contains("job.jcr:3: probe: no such process: " + pid + "\n"), c.err());
        assertTrue(c.err().contains("job.jcr:3: 'probe " + pid + "' failed with exit 3; stopping (--fail-fast)"), c.err());
    }

    @Test
    void withoutFailFastTheScriptGoesOnAndExitsWithTheFirstFailure() throws Exception {
        TestCommands.Captured c = new TestCommands.Captured();
        String script = """
                echo before
                nosuchcommand here
                echo "after: $?"
                echo $undefined
                probe 2147483647
                echo end
                """;
        int status = run(c, "keep.jcr", script, false);
        assertEquals(ExitCode.USAGE.code, status, "the first failure (line 2) decides");
        assertEquals("before\nafter: 2\nend\n", c.out());
        String err = c.err();
        assertTrue(err.contains("keep.jcr:2: nosuchcommand: unknown command"), err);
        assertTrue(err.contains("keep.jcr:4: undefined variable $undefined"), err);
        assertTrue(err.contains("keep.jcr:5: probe: no such process: 2147483647"), err);
        assertTrue(err.contains("keep.jcr: 3 lines failed; the first at line 2 (exit 2)"), err);
    }

    @Test
    void exitEndsTheScriptWithItsStatus() throws Exception {
        TestCommands.Captured c = new TestCommands.Captured();
        assertEquals(5, run(c, "x.jcr", "echo a\nexit 5\necho b\n", false));
        assertEquals("a\n", c.out());
    }

    @Test
    void jcrRunExecutesAFileWithArgumentsThroughTheCli() throws Exception {
        Path script = tmp.resolve("greet.jcr");
        Files.writeString(script, "set who $1\necho hello $who, $# argument\nsleep 10ms\nexit 0\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"run", script.toString(), "operator"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        assertEquals("hello operator, 1 argument\n", out.toString());
    }

    @Test
    void replWithScriptFileAndFailFastUsesTheSameRunner() throws Exception {
        Path script = tmp.resolve("bad.jcr");
        Files.writeString(script, "sleep 10q\necho not reached\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"repl", "--fail-fast", "-f", script.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(ExitCode.USAGE.code, status);
        assertEquals("", out.toString());
        assertTrue(err.toString().contains(script + ":1: sleep: Invalid value"), err.toString());
        assertTrue(err.toString().contains("bad interval '10q'"), err.toString());
    }

    @Test
    void aMissingScriptIsOneLineAndAnIoExitCode() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"run", tmp.resolve("nope.jcr").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(ExitCode.IO.code, status);
        assertEquals("run: no such script: " + tmp.resolve("nope.jcr") + "\n", err.toString());
        assertFalse(err.toString().contains("Exception"));
    }
}
