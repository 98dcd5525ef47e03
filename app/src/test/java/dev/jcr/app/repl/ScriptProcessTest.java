package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jcr as a separate process: scripts on standard input, and a real SIGINT during 'every'. */
class ScriptProcessTest {

    @TempDir
    Path tmp;

    @Test
    void commandsOnStandardInputRunAsAScriptWhenItIsNotATerminal() throws Exception {
        Process p = new ProcessBuilder(JcrProcess.command("repl")).start();
        p.getOutputStream().write("set x 41\necho x=$x\nsleep 5q\necho last=$?\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), "the first failure's status: " + err);
        assertEquals("x=41\nlast=2\n", out);
        assertTrue(err.startsWith("stdin:3: sleep: Invalid value"), err);
    }

    @Test
    void sigintStopsEveryCleanlyWithAReportAndEndsTheScript() throws Exception {
        Path script = tmp.resolve("periodic.jcr");
        Files.writeString(script, "every 1h echo tick\necho not reached\n");
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = new ProcessBuilder(JcrProcess.command("run", script.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out).contains("tick\n")) {
            assertTrue(System.nanoTime() < deadline && p.isAlive(), "no tick: " + Files.readString(out) + Files.readString(err));
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jcr ended on SIGINT");
        assertEquals(130, p.exitValue());
        String o = Files.readString(out);
        assertTrue(o.contains("every: stopped after 1 run (1 ok, 0 failed) in "), o);
        assertTrue(o.contains(": cancelled (Ctrl-C)\n"), o);
        assertTrue(!o.contains("not reached"), o);
        assertTrue(Files.readString(err).contains(script + ":1: cancelled (Ctrl-C); the script stops here"), Files.readString(err));
    }
}
