package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.app.Main;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckCommandTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertOneLineNoTrace(String err) {
        List<String> lines = err.lines().toList();
        assertTrue(lines.size() <= 2, "expected a short message, got:\n" + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "stack trace leaked:\n" + err);
    }

    @Test
    void plainLoopIsCheckpointableExitZero() {
        try (LiveProcess p = Fixture.start("loop")) {
            Run r = run("check", Long.toString(p.pid()));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(p.pid() + " (loop-"), r.out());
            assertTrue(r.out().contains("): checkpointable"), r.out());
        }
    }

    @Test
    void ghostLimitCountsALargerDeletedFileAsCheckpointable() {
        try (LiveProcess p = Fixture.start("files", tmp.toString())) {
            String pid = Long.toString(p.pid());
            Run byDefault = run("check", pid);
            assertEquals(1, byDefault.code(), byDefault.err());
            assertTrue(byDefault.out().contains("checkpointable with --ghost-limit"), byDefault.out());
            assertTrue(byDefault.out().contains("dump with --ghost-limit 2M or more [--ghost-limit]"), byDefault.out());
            Run given = run("check", pid, "--ghost-limit", "4M");
            assertEquals(0, given.code(), given.out() + given.err());
            assertTrue(given.out().contains("): checkpointable"), given.out());
            Run bad = run("check", pid, "--ghost-limit", "4X");
            assertEquals(2, bad.code(), bad.err());
            assertOneLineNoTrace(bad.err());
        }
    }

    @Test
    void unsupportedResourcesExitOneAndAreAllListed() {
        try (LiveProcess zoo = Fixture.start("zoo"); LiveProcess loop = Fixture.start("loop")) {
            Run r = run("check", Long.toString(loop.pid()), Long.toString(zoo.pid()));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.out().contains("not checkpointable ("), r.out());
            assertTrue(r.out().contains("io_uring: not supported: its rings"), r.out());
            assertTrue(r.out().contains("pidfd of process " + zoo.pid() + ": not supported: "), r.out());
            assertTrue(r.out().contains("packet sockets capture or inject link-level frames"), r.out());
            assertFalse(r.out().contains("[--shell-job]"), "zoo's pty has its master in zoo itself: " + r.out());
        }
    }

    @Test
    void extUnixSkAllowsADatagramSocketWhosePeerIsOutsideTheTree() {
        try (LiveProcess server = Fixture.start("unix_server", tmp.toString());
                LiveProcess client = Fixture.start("unix_client", tmp.toString(), "dgram")) {
            Run r = run("check", Long.toString(client.pid()));
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.out().contains(tmp.resolve("log.sock") + " held by pid " + server.pid()), r.out());
            assertTrue(r.out().contains("[--ext-unix-sk]"), r.out());
            Run ok = run("check", "--ext-unix-sk", Long.toString(client.pid()));
            assertEquals(0, ok.code(), ok.out() + ok.err());
        }
    }

    @Test
    void jsonWithAllIsParseableAndCarriesEveryAssessment() throws Exception {
        try (LiveProcess zoo = Fixture.start("zoo")) {
            Run r = run("check", "--json", "-a", Long.toString(zoo.pid()));
            assertEquals(1, r.code(), r.err());
            JsonNode root = new ObjectMapper().readTree(r.out());
            assertFalse(root.get("checkpointable").asBoolean());
            JsonNode p = root.get("processes").get(0);
            assertEquals(zoo.pid(), p.get("pid").asLong());
            assertEquals("UNSUPPORTED", p.get("verdict").asText());
            assertEquals(0, p.get("options").size(), "its pty slave's master is in zoo too: no --shell-job");
            List<String> kinds = new ArrayList<>();
            for (JsonNode a : p.get("assessments")) {
                kinds.add(a.get("kind").asText());
                assertTrue(a.has("resource") && a.has("verdict") && a.has("reason") && a.has("option"));
            }
            assertTrue(kinds.containsAll(List.of("INOTIFY", "EVENTFD", "MEMORY_MAPPING", "THREAD", "SIGNAL_STATE",
                    "PTY", "UDP_SOCKET", "UNIX_SOCKET")), kinds.toString());
        }
    }

    /** Without -a, JSON lists what the text lists: what blocks or needs an option, not every mapping. */
    @Test
    void jsonWithoutAllListsOnlyWhatBlocksOrNeedsAnOptionAsTheTextDoes() throws Exception {
        try (LiveProcess zoo = Fixture.start("zoo")) {
            Run r = run("check", "--json", Long.toString(zoo.pid()));
            assertEquals(1, r.code(), r.err());
            JsonNode p = new ObjectMapper().readTree(r.out()).get("processes").get(0);
            List<String> listed = new ArrayList<>();
            for (JsonNode a : p.get("assessments")) {
                assertFalse(a.get("verdict").asText().equals("SUPPORTED"), a.toString());
                listed.add(a.get("resource").asText() + ": " + a.get("reason").asText());
            }
            List<String> blockers = new ArrayList<>();
            p.get("blockers").forEach(b -> blockers.add(b.get("resource").asText() + ": " + b.get("reason").asText()));
            assertEquals(blockers, listed, "the root's assessments are its blockers");
            Run text = run("check", Long.toString(zoo.pid()));
            for (String l : listed) {
                assertTrue(text.out().contains(l), l + "\n" + text.out());
            }
            long textLines = text.out().lines().filter(l -> l.startsWith("    no ") || l.startsWith("    opt ")).count();
            assertEquals(listed.size(), textLines, text.out());
            Run all = run("check", "--json", "-a", Long.toString(zoo.pid()));
            assertTrue(new ObjectMapper().readTree(all.out()).get("processes").get(0).get("assessments").size() > listed.size() + 10,
                    "-a adds the supported resources (mappings, threads …)");
        }
    }

    /** The text groups the blockers by kind: a heading with the count, then one line each. */
    @Test
    void blockersAreGroupedByKindOnePerLine() {
        try (LiveProcess zoo = Fixture.start("zoo")) {
            Run r = run("check", Long.toString(zoo.pid()));
            List<String> lines = r.out().lines().toList();
            assertTrue(lines.get(0).matches(zoo.pid() + " \\(zoo-.*\\): not checkpointable \\((\\d+) blockers\\)"), lines.get(0));
            int blockers = Integer.parseInt(lines.get(0).replaceAll(".*\\((\\d+) blockers\\)", "$1"));
            java.util.Map<String, Integer> headings = new java.util.LinkedHashMap<>();
            int items = 0;
            String kind = null;
            for (String l : lines.subList(1, lines.size())) {
                if (l.matches("  \\S.* \\(\\d+\\)")) {
                    kind = l.strip().replaceAll(" \\(\\d+\\)$", "");
                    assertFalse(headings.containsKey(kind), "one heading per kind: " + r.out());
                    headings.put(kind, Integer.parseInt(l.replaceAll(".*\\((\\d+)\\)$", "$1")));
                } else {
                    assertTrue(l.matches("    (no|opt)  .*"), l);
                    items++;
                }
            }
            assertEquals(blockers, items, r.out());
            assertEquals(blockers, headings.values().stream().mapToInt(Integer::intValue).sum(), r.out());
            assertTrue(headings.keySet().containsAll(List.of("pidfd", "packet socket")), headings.toString());
        }
    }

    @Test
    void pidOneIsTheInitOfTheMachineNotAPermissionPuzzle() {
        Run r = run("check", "1");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("process: it is the init of the machine"), r.out());
        assertFalse(r.out().toLowerCase().contains("permission") || r.out().contains("CAP_"), r.out());
        Run dump = run("dump", "1", "-D", tmp.resolve("init").toString());
        assertEquals(6, dump.code(), dump.err());
        assertEquals(1, dump.err().lines().count(), dump.err());
        assertTrue(dump.err().startsWith("dump: refused: 1 (") && dump.err().contains(") cannot be checkpointed: it is the init of the machine"),
                dump.err());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("init")));
    }

    @Test
    void theInitOfAPidNamespaceSeenFromOutsideIsRefusedAsSuch() {
        java.nio.file.Path loop = Fixture.compile("loop");
        try (LiveProcess unshare = LiveProcess.startCommand(List.of("unshare", "--pid", "--fork", "--kill-child", loop.toString()),
                java.time.Duration.ofSeconds(20), "READY")) {
            long init = dev.jcr.proc.ProcessTree.scan(dev.jcr.proc.ProcFs.system()).children(unshare.pid()).get(0).pid();
            Run r = run("check", Long.toString(init));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.out().contains("process: it is the init (pid 1) of a PID namespace below jcr's"), r.out());
            Run dump = run("dump", Long.toString(init), "-D", tmp.resolve("ns").toString());
            assertEquals(6, dump.code(), dump.err());
            assertTrue(dump.err().contains("init (pid 1) of a PID namespace"), dump.err());
        }
    }

    @Test
    void terminalProcessNeedsShellJobAndPassesWithIt() {
        java.nio.file.Path loop = Fixture.compile("loop");
        try (LiveProcess script = LiveProcess.startCommand(List.of("script", "-qfc", loop.toString(), "/dev/null"),
                java.time.Duration.ofSeconds(20), "READY")) {
            long pid = dev.jcr.proc.ProcessTree.scan(dev.jcr.proc.ProcFs.system()).subtree(script.pid()).stream()
                    .filter(p -> p.comm().startsWith("loop-")).findFirst().orElseThrow().pid();
            Run without = run("check", Long.toString(pid));
            assertEquals(1, without.code(), without.out());
            assertTrue(without.out().contains("checkpointable with --shell-job"), without.out());
            Run with = run("check", "--shell-job", Long.toString(pid));
            assertEquals(0, with.code(), with.out());
        }
    }

    @Test
    void checkAnswersForTheWholeTreeAsDumpDoesNamingTheBlockingDescendant() throws Exception {
        // the child shares its parent's fd table (CLONE_FILES without CLONE_THREAD), which restore cannot recreate
        try (LiveProcess p = Fixture.start("clonefiles")) {
            String child = p.stdout().lines().filter(l -> l.startsWith("CHILD ")).findFirst().orElseThrow().substring(6);
            Run r = run("check", Long.toString(p.pid()));
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("with 1 descendant: not checkpointable (1 blocker)"), r.out());
            assertTrue(r.out().contains("  no   pid " + child + " (clonefiles-"), r.out());
            assertTrue(r.out().contains("shares its fd table with pid " + p.pid() + " (CLONE_FILES without CLONE_THREAD)"),
                    r.out());
            Run dump = run("dump", Long.toString(p.pid()), "-D", tmp.resolve("img").toString());
            assertEquals(6, dump.code(), dump.err());
            assertTrue(dump.err().contains("pid " + child + " (clonefiles-"), dump.err());

            JsonNode j = new ObjectMapper().readTree(run("check", "--json", Long.toString(p.pid())).out()).get("processes").get(0);
            assertFalse(j.get("checkpointable").asBoolean(), "the tree's answer, not the root's alone");
            assertEquals("SUPPORTED", j.get("verdict").asText(), "the root alone is fine");
            assertEquals("UNSUPPORTED", j.get("cause").asText());
            assertEquals(Long.parseLong(child), j.get("blockers").get(0).get("pid").asLong());
            assertEquals(1, j.get("descendants").size());
        }
    }

    @Test
    void aTracedProcessIsNotCheckpointableNamingItsTracer() throws Exception {
        try (LiveProcess p = Fixture.start("traced")) {
            String tracee = p.stdout().lines().filter(l -> l.startsWith("TRACEE ")).findFirst().orElseThrow().substring(7);
            for (String pid : List.of(tracee, Long.toString(p.pid()))) {
                Run r = run("check", pid);
                assertEquals(1, r.code(), "check answers no, whatever the reason: " + r.out());
                assertTrue(r.out().contains("pid " + tracee + " is traced by pid " + p.pid()), r.out());
                assertTrue(r.out().contains("tracer: already traced by pid " + p.pid() + " (traced-"), r.out());
            }
            JsonNode b = new ObjectMapper().readTree(run("check", "--json", tracee).out()).get("processes").get(0);
            assertEquals("TRACED", b.get("cause").asText());
            assertEquals(p.pid(), b.get("blockers").get(0).get("tracer_pid").asLong());
        }
    }

    @Test
    void nonexistentPidExitsThreeWithOneLine() {
        Run r = run("check", "999999999");
        assertEquals(3, r.code());
        assertEquals("check: no such process: 999999999", r.err().strip());
    }

    @Test
    void nonNumericPidIsNotAPidAndExitsTwo() {
        Run r = run("check", "abc");
        assertEquals(2, r.code());
        assertEquals("check: 'abc' is not a PID (a process id is a whole number from 1 to 2147483647)", r.err().lines().findFirst().orElseThrow());
        assertOneLineNoTrace(r.err());
        Run dump = run("dump", "abc", "-D", tmp.resolve("x").toString());
        assertEquals(2, dump.code());
        assertTrue(dump.err().startsWith("dump: 'abc' is not a PID ("), dump.err());
    }

    @Test
    void zeroNegativeOrHugePidsAreNotPidsEither() {
        for (String bad : List.of("0", "-5", "99999999999", "12x")) {
            Run r = run("check", "--", bad);
            assertEquals(2, r.code(), bad);
            assertTrue(r.err().startsWith("check: '" + bad + "' is not a PID"), r.err());
        }
    }

    @Test
    void theReplSaysNotAPidToo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        dev.jcr.app.repl.Session s = dev.jcr.app.repl.Session.standard(new PrintWriter(out, true), err);
        assertEquals(2, s.executeLine("check abc"));
        assertTrue(err.toString().contains("check: 'abc' is not a PID"), err.toString());
        assertFalse(err.toString().contains("not a long"), err.toString());
    }

    @Test
    void threadIdIsAUsageErrorNamingItsProcess() {
        try (LiveProcess p = Fixture.startWithFlags("thread_masks", List.of("-pthread"))) {
            long tid = dev.jcr.proc.ProcFs.system().threads(p.pid()).get(1).tid();
            Run r = run("check", Long.toString(tid));
            assertEquals(2, r.code());
            assertEquals("check: " + tid + " is a thread of process " + p.pid() + ", not a process", r.err().strip());
        }
    }

    @Test
    void missingPidExitsTwo() {
        assertEquals(2, run("check").code());
    }

    @Test
    void kernelFeaturesAreProbedAndListed() throws Exception {
        Run r = run("check", "--kernel");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("kernel " + System.getProperty("os.version")), r.out());
        // this machine: async write-protect tracking works, soft-dirty is compiled out
        assertTrue(r.out().contains("  yes  write tracking: userfaultfd async write-protect + PAGEMAP_SCAN"), r.out());
        assertTrue(r.out().contains("  no   soft-dirty page bits"), r.out());
        JsonNode json = new ObjectMapper().readTree(run("check", "--kernel", "--json").out());
        List<String> supported = new ArrayList<>();
        for (JsonNode f : json.get("features")) {
            assertTrue(f.has("detail") && f.has("use"), f.toString());
            if (f.get("supported").asBoolean()) {
                supported.add(f.get("name").asText());
            }
        }
        assertTrue(supported.stream().anyMatch(n -> n.startsWith("clone3 with set_tid")), supported.toString());
    }
}
