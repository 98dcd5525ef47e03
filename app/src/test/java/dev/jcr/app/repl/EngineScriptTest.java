package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scripts driving jcr's real commands (ps, check) on live fixture processes. */
class EngineScriptTest {

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        Main.execute(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        return out.toString();
    }

    @Test
    void aScriptPrintsExactlyWhatTheCliPrintsForTheSameCommands() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            String pid = Long.toString(p.pid());
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().arguments(List.of(pid));
            String script = """
                    set pid $1
                    check $pid
                    echo "check said $?"
                    ps --json
                    """;
            int status = new ScriptRunner(c.session, "look.jcr", false).run(new BufferedReader(new StringReader(script)));
            assertEquals(0, status, c.err());
            String checkOut = cli("check", pid);
            int checkStatus = Main.execute(new String[] {"check", pid}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            assertTrue(c.out().startsWith(checkOut + "check said " + checkStatus + "\n"), c.out());
            JsonNode ps = new ObjectMapper().readTree(c.out().substring(c.out().indexOf("{")));
            boolean found = false;
            for (JsonNode proc : ps.get("processes")) {
                found |= proc.get("pid").asLong() == p.pid();
            }
            assertTrue(found, "ps --json lists the fixture");
        }
    }

    @Test
    void periodicChecksStopWhenTheJobExitsAndAFailingCheckStopsAFailFastScript() throws Exception {
        LiveProcess p = Fixture.start("loop");
        try {
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().set("pid", Long.toString(p.pid()));
            CompletableFuture<Integer> every = CompletableFuture.supplyAsync(() -> c.session.executeLine("every 50ms check $pid"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!c.out().contains("every: #3 ") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            p.close();
            assertEquals(0, every.get(30, TimeUnit.SECONDS), c.err());
            assertTrue(c.out().contains("every: #3 " ) && c.out().contains(": process " + p.pid() + " exited"), c.out());

            TestCommands.Captured f = new TestCommands.Captured();
            String script = "check " + p.pid() + "\necho not reached\n";
            int status = new ScriptRunner(f.session, "gone.jcr", true).run(new BufferedReader(new StringReader(script)));
            assertEquals(ExitCode.NO_SUCH_PROCESS.code, status, f.err());
            assertFalse(f.out().contains("not reached"));
            assertTrue(f.err().startsWith("gone.jcr:1: check: "), f.err());
            assertTrue(f.err().contains("gone.jcr:1: 'check " + p.pid() + "' failed with exit 3; stopping (--fail-fast)"), f.err());
        } finally {
            p.close();
        }
    }
}
