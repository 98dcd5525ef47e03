package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Line cutting by COLUMNS. COLUMNS is the environment of the jcr process, which a test cannot change
 * in its own JVM, so each case runs {@code Main} (main → Main.execute) in a child JVM on the test
 * classpath with a real environment; its stdout is a pipe, as with {@code jcr ps | less}.
 */
class PsWidthCommandTest {

    private static final String LONG_ARG = "{\"env\":\"" + "x".repeat(400) + "\"}";
    private static LiveProcess loop;

    @BeforeAll
    static void startLoopWithAHugeCommandLine() {
        loop = Fixture.start("loop", LONG_ARG);
    }

    @AfterAll
    static void stop() {
        loop.close();
    }

    record Result(int code, String out, String err) {
    }

    private static Result jcr(String columns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData", "-cp",
                System.getProperty("java.class.path"), "dev.jcr.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("COLUMNS");
        if (columns != null) {
            pb.environment().put("COLUMNS", columns);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jcr did not finish");
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String rowOf(String out, long pid) {
        return out.lines().filter(x -> x.trim().startsWith(pid + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " not listed:\n" + out));
    }

    @Test
    void columnsCutsEveryLineAndWideDisablesIt() throws Exception {
        Result cut = jcr("80", "ps");
        assertEquals(0, cut.code(), cut.err());
        for (String line : cut.out().lines().toList()) {
            assertTrue(line.length() <= 80, "longer than COLUMNS=80: " + line);
        }
        assertEquals(80, rowOf(cut.out(), loop.pid()).length(), "the long line is cut exactly at 80");

        Result wide = jcr("80", "ps", "--wide");
        assertEquals(0, wide.code(), wide.err());
        assertTrue(rowOf(wide.out(), loop.pid()).endsWith(LONG_ARG), "--wide keeps the whole command line");
        Result w = jcr("80", "ps", "-w");
        assertTrue(rowOf(w.out(), loop.pid()).endsWith(LONG_ARG), "-w is --wide");
    }

    @Test
    void aPipeWithoutColumnsGetsWholeLines() throws Exception {
        Result r = jcr(null, "ps");
        assertEquals(0, r.code(), r.err());
        assertTrue(rowOf(r.out(), loop.pid()).endsWith(LONG_ARG), "nothing cut without COLUMNS on a pipe");
    }

    @Test
    void jsonIsNeverCut() throws Exception {
        Result r = jcr("40", "ps", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode found = null;
        for (JsonNode p : new ObjectMapper().readTree(r.out()).get("processes")) {
            if (p.get("pid").asLong() == loop.pid()) {
                found = p;
            }
        }
        assertTrue(found != null, "loop not in the JSON");
        assertEquals(LONG_ARG, found.get("cmdline").get(1).asText());
        assertTrue(found.get("rss_bytes").isIntegralNumber(), "rss stays in bytes");
    }

    @Test
    void rssIsShownInHumanUnitsRightAligned() throws Exception {
        Result r = jcr(null, "ps");
        String header = r.out().lines().findFirst().orElseThrow();
        String row = rowOf(r.out(), loop.pid());
        int end = header.indexOf("RSS") + 3;
        String rss = row.substring(end - 5, end).trim();
        assertTrue(rss.matches("\\d+(\\.\\d)?[KMG]"), "RSS column: '" + rss + "' in " + row);
    }
}
