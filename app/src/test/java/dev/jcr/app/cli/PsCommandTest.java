package dev.jcr.app.cli;

import static dev.jcr.app.cli.CheckCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.app.cli.CheckCommandTest.Run;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import org.junit.jupiter.api.Test;

class PsCommandTest {

    private static JsonNode find(JsonNode list, long pid) {
        for (JsonNode p : list) {
            if (p.get("pid").asLong() == pid) {
                return p;
            }
            if (p.has("children")) {
                JsonNode c = find(p.get("children"), pid);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    @Test
    void jsonListsFixturesWithTheirVerdicts() throws Exception {
        try (LiveProcess loop = Fixture.start("loop"); LiveProcess zoo = Fixture.start("zoo")) {
            Run r = run("ps", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode list = new ObjectMapper().readTree(r.out()).get("processes");
            JsonNode l = find(list, loop.pid());
            assertNotNull(l, "loop not listed");
            assertEquals("SUPPORTED", l.get("verdict").asText());
            assertEquals(0, l.get("blockers").size());
            assertEquals(1, l.get("threads").asInt());
            assertTrue(l.get("rss_bytes").asLong() > 0);
            assertTrue(l.get("cmdline").get(0).asText().contains("loop-"));
            assertTrue(!l.has("children"), "flat list has no children");
            JsonNode z = find(list, zoo.pid());
            assertEquals("UNSUPPORTED", z.get("verdict").asText());
            java.util.Set<String> kinds = new java.util.HashSet<>();
            z.get("blockers").forEach(b -> kinds.add(b.get("kind").asText()));
            assertTrue(kinds.containsAll(java.util.List.of("PIDFD", "IO_URING", "PACKET_SOCKET",
                    "CHAR_DEVICE")), "every kind that blocks is listed: " + kinds);
        }
    }

    @Test
    void jsonFieldsAreExactlyTheDocumentedOnes() throws Exception {
        try (LiveProcess zoo = Fixture.start("zoo")) {
            JsonNode p = find(new ObjectMapper().readTree(run("ps", "--json").out()).get("processes"), zoo.pid());
            java.util.List<String> fields = new java.util.ArrayList<>();
            p.fieldNames().forEachRemaining(fields::add);
            assertEquals(java.util.List.of("pid", "ppid", "pgid", "sid", "uid", "user", "state", "threads", "rss_bytes",
                    "vsz_bytes", "start_time_ticks", "tty", "tracer_pid", "kernel_thread", "comm", "cmdline", "verdict",
                    "options", "blockers"), fields);
            java.util.List<String> blockerFields = new java.util.ArrayList<>();
            p.get("blockers").get(0).fieldNames().forEachRemaining(blockerFields::add);
            assertEquals(java.util.List.of("resource", "kind", "verdict", "reason", "option"), blockerFields);
        }
    }

    @Test
    void treeJsonNestsChildrenSortedByPid() throws Exception {
        try (LiveProcess loop = Fixture.start("loop")) {
            Run r = run("ps", "--tree", "--json");
            assertEquals(0, r.code(), r.err());
            JsonNode roots = new ObjectMapper().readTree(r.out()).get("processes");
            JsonNode l = find(roots, loop.pid());
            assertNotNull(l, "loop not in the tree");
            assertTrue(l.has("children"));
            assertSorted(roots);
        }
    }

    private static void assertSorted(JsonNode list) {
        long last = -1;
        for (JsonNode p : list) {
            assertTrue(p.get("pid").asLong() > last, "not sorted by pid at " + p.get("pid"));
            last = p.get("pid").asLong();
            assertSorted(p.get("children"));
        }
    }

    @Test
    void textTableHasHeaderAndVerdictColumn() {
        try (LiveProcess loop = Fixture.start("loop")) {
            Run r = run("ps", "--tree");
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().split("\n");
            assertTrue(lines[0].matches("\\s+PID\\s+PPID USER\\s+S\\s+THR\\s+RSS C/R\\s+COMMAND"), lines[0]);
            String row = r.out().lines().filter(x -> x.trim().startsWith(loop.pid() + " ")).findFirst().orElseThrow();
            assertTrue(row.contains(" yes "), row);
            assertTrue(row.contains("\\_ ") && row.contains("loop-"), row);
        }
    }

    @Test
    void userFilterKeepsOnlyThatUser() throws Exception {
        Run r = run("ps", "--json", "--user", "root");
        assertEquals(0, r.code(), r.err());
        for (JsonNode p : new ObjectMapper().readTree(r.out()).get("processes")) {
            assertEquals(0, p.get("uid").asLong());
            assertEquals("root", p.get("user").asText());
        }
        Run none = run("ps", "--json", "--user", "65533");
        assertEquals(0, new ObjectMapper().readTree(none.out()).get("processes").size());
    }

    @Test
    void unknownUserIsAUsageError() {
        Run r = run("ps", "--user", "no-such-user-here");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("ps: no such user: no-such-user-here"), r.err());
    }
}
