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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts driving jcr's real commands (ps, check, dump, show) on live fixture processes. */
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

    @Test
    void incrementalPeriodicDumpsKeepTheParentsOfKeptPointsAndTheNewestRestores(@TempDir Path ckpt) throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "16", "10")) {
            TestCommands.Captured c = new TestCommands.Captured();
            int status = c.session.executeLine("every 100ms --count 4 --keep 1 --incremental --chain 2 dump " + p.pid()
                    + " -D " + ckpt + "/ck-{n}");
            assertEquals(0, status, c.err());
            // ck-1 <- ck-2, then a new chain ck-3 <- ck-4: keeping the newest point keeps its parent ck-3
            assertFalse(Files.exists(ckpt.resolve("ck-1")) || Files.exists(ckpt.resolve("ck-2")), c.out());
            assertFalse(Files.exists(ckpt.resolve("ck-3/parent")), "ck-3 starts a new chain");
            assertEquals(Path.of("../ck-3"), Files.readSymbolicLink(ckpt.resolve("ck-4/parent")));
            assertTrue(c.out().contains(" --track-mem --prev-images-dir ../ck-3\n"), c.out());
            assertTrue(c.out().contains("every: pruned " + ckpt.resolve("ck-2")), c.out());
            assertTrue(c.out().contains("every: kept " + ckpt.resolve("ck-3") + " " + ckpt.resolve("ck-4") + "; pruned 2"), c.out());
            assertTrue(c.out().contains("in parent images)"), "ck-4 holds only what changed: " + c.out());
            assertEquals(ckpt.resolve("ck-4").toString(), c.session.variables().get("last_dump"));

            p.signal("KILL");
            LiveProcess.awaitGone(p.pid(), java.time.Duration.ofSeconds(10));
            new dev.jcr.restore.RestoreEngine(null).restore(dev.jcr.restore.RestoreOptions.of(ckpt.resolve("ck-4")).detached());
            p.signal("USR1");
            String out = p.awaitOutput("PASS memhog", java.time.Duration.ofSeconds(30));
            assertFalse(out.contains("FAIL"), out);
        }
    }

    @Test
    void periodicDumpsKeepTheNewestImagesAndLastDumpNamesTheLatest(@TempDir Path ckpt) throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().arguments(List.of(Long.toString(p.pid()), ckpt.toString()));
            String script = """
                    # checkpoint a job: one image now, then every 100ms keeping the last two
                    set pid $1
                    set dir $2
                    dump $pid -D $dir/first
                    echo first=$last_dump
                    every 100ms --count 4 --keep 2 dump $pid -D $dir/job-{n}
                    echo last=$last_dump
                    show info $last_dump/pstree.img
                    dump $pid -D $dir/first
                    echo not reached
                    """;
            int status = new ScriptRunner(c.session, "ckpt.jcr", true).run(new BufferedReader(new StringReader(script)));
            String out = c.out();
            assertEquals(ExitCode.IO.code, status, "the second dump into 'first' fails (the directory exists): " + c.err());
            assertTrue(c.err().contains("ckpt.jcr:9: dump: "), c.err());
            assertTrue(c.err().contains("ckpt.jcr:9: 'dump $pid -D $dir/first' failed with exit 8; stopping (--fail-fast)"), c.err());
            assertFalse(out.contains("not reached"), out);

            assertTrue(out.contains("first=" + ckpt.resolve("first") + "\n"), out);
            assertTrue(out.contains("last=" + ckpt.resolve("job-4") + "\n"), out);
            assertTrue(out.contains("every: kept " + ckpt.resolve("job-3") + " " + ckpt.resolve("job-4") + "; pruned 2\n"), out);
            assertTrue(out.contains("entries 1"), "show info read the newest image's pstree: " + out);
            for (String dir : List.of("first", "job-3", "job-4")) {
                for (String img : List.of("inventory.img", "pstree.img", "core-" + p.pid() + ".img", "mm-" + p.pid() + ".img")) {
                    assertTrue(Files.isRegularFile(ckpt.resolve(dir).resolve(img)), dir + "/" + img);
                }
            }
            assertFalse(Files.exists(ckpt.resolve("job-1")) || Files.exists(ckpt.resolve("job-2")), "pruned");
            try (var left = Files.list(ckpt)) {
                assertEquals(List.of("first", "job-3", "job-4"), left.map(x -> x.getFileName().toString()).sorted().toList(),
                        "nothing else left behind (no temporary directories)");
            }
            // the job went on unharmed through five dumps
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", java.time.Duration.ofSeconds(10)).contains("PASS"));
        }
    }

    @Test
    void aSessionDumpsKillsAndRestoresTheJobFromLastDump(@TempDir Path ckpt) throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().set("pid", Long.toString(p.pid()));
            c.session.variables().set("dir", ckpt.toString());
            assertEquals(0, c.session.executeLine("dump $pid -D $dir/img --kill"), c.err());
            // init reaps the killed tree slowly on these machines; restore needs the pid free
            LiveProcess.awaitGone(p.pid(), java.time.Duration.ofSeconds(20));
            assertEquals(0, c.session.executeLine("restore -D $last_dump -d"), c.err());
            assertEquals(0, c.session.executeLine("check $pid"), c.err() + c.out());
            assertTrue(c.out().contains("restored 1 process, root " + p.pid()), c.out());
            p.signal("USR1"); // the restored job verifies its own state
            assertTrue(p.awaitOutput("PASS", java.time.Duration.ofSeconds(10)).contains("PASS"), p.stdout());
        }
    }

    @Test
    void aScriptDiffsTwoDumpsOfARunningJobAndSeesItMove(@TempDir Path ckpt) throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            TestCommands.Captured c = new TestCommands.Captured();
            c.session.variables().set("pid", Long.toString(p.pid()));
            c.session.variables().set("dir", ckpt.toString());
            // the loop counts between the two dumps: diff must see it
            String script = """
                    dump $pid -D $dir/a
                    set a $last_dump
                    sleep 300ms
                    dump $pid -D $dir/b
                    show diff --json $a $last_dump
                    echo "diff said $?"
                    """;
            int status = new ScriptRunner(c.session, "diff.jcr", false).run(new BufferedReader(new StringReader(script)));
            assertEquals(ExitCode.NEGATIVE.code, status, c.err()); // diff's "different" is the first non-zero status
            assertTrue(c.out().contains("diff said 1"), c.out());
            String out = c.out();
            JsonNode diff = new ObjectMapper().readTree(out.substring(out.indexOf("{\n"), out.lastIndexOf("}") + 1));
            assertFalse(diff.get("same").asBoolean());
            JsonNode changed = diff.get("changed").get(0);
            assertEquals(p.pid(), changed.get("pid").asLong());
            // the counter lives in a register or on the stack, depending on the compiler: one of them moved
            int registers = changed.get("threads").get(0).get("registers").size();
            int pages = changed.get("pages").get("changed").asInt();
            assertTrue(registers + pages >= 1, changed.toString());
            p.signal("USR1");
            p.awaitOutput("PASS", java.time.Duration.ofSeconds(10)); // both dumps left it running, unharmed
        }
    }
}
