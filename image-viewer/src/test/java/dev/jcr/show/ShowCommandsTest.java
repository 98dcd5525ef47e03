package dev.jcr.show;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcr.image.Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jcr-show command line: outputs, exit codes, one-line errors. */
class ShowCommandsTest {

    @TempDir
    Path tmp;

    record Result(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = ShowMain.execute(args, new ByteArrayInputStream(stdin), out, new PrintWriter(err));
        return new Result(code, out.toByteArray(), err.toString());
    }

    static Result run(String... args) {
        return run(new byte[0], args);
    }

    private static void assertOneLineError(Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void decodePrintsCritStructuredJsonOnOneLine() throws Exception {
        Result r = run("decode", Vectors.root().resolve("counter/fs-20104.img").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(2, r.text().split("\n", -1).length, "one line and a newline");
        JsonNode json = Crit.JSON.readTree(r.out());
        assertEquals("FS", json.get("magic").asText());
        assertTrue(json.get("entries").get(0).has("cwd_id"));
    }

    @Test
    void decodeTextIsByteForByteWhatCritPrintsWhereTheSchemasAgree() throws Exception {
        Crit.assumeAvailable();
        int compared = 0;
        for (Path f : dev.jcr.image.Vectors.images()) {
            if (!f.getParent().getFileName().toString().equals("counter")) {
                continue;
            }
            for (boolean pretty : new boolean[] {false, true}) {
                var tree = CritOracleTest.jcrDecode(f, pretty);
                if (!CritOracleTest.canon(CritSchema.asCrit317(tree)).equals(CritOracleTest.canon(tree))) {
                    continue; // fields crit 3.17 does not know: compared as trees elsewhere
                }
                byte[] crit = Crit.run(pretty ? java.util.List.of("/usr/bin/crit", "decode", "--pretty", "-i", f.toString())
                        : java.util.List.of("/usr/bin/crit", "decode", "-i", f.toString()), null);
                Result jcr = pretty ? run("decode", "--pretty", f.toString()) : run("decode", f.toString());
                assertEquals(new String(crit, StandardCharsets.UTF_8), jcr.text(), f + (pretty ? " --pretty" : ""));
                compared++;
            }
        }
        assertTrue(compared >= 15, "compared " + compared);
    }

    @Test
    void streamedDecodeEqualsTheTreeWrittenWhole() throws Exception {
        for (Path f : dev.jcr.image.Vectors.images()) {
            for (boolean pretty : new boolean[] {false, true}) {
                java.io.StringWriter whole = new java.io.StringWriter();
                new PyJson(whole, pretty ? 4 : 0, Colors.NONE).write(CritOracleTest.jcrDecode(f, pretty));
                Result streamed = pretty ? run("decode", "--pretty", f.toString()) : run("decode", f.toString());
                assertEquals(whole + "\n", streamed.text(), f.toString());
            }
        }
    }

    @Test
    void decodeReadsStandardInputAndWritesToAFile() throws Exception {
        byte[] img = Files.readAllBytes(Vectors.root().resolve("counter/pstree.img"));
        Path out = tmp.resolve("pstree.json");
        Result r = run(img, "decode", "--pretty", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0, r.out().length);
        assertTrue(Files.readString(out).startsWith("{\n    \"magic\": \"PSTREE\""));
    }

    @Test
    void encodeTurnsDecodedJsonBackIntoTheSameBytes() throws Exception {
        Path img = Vectors.root().resolve("threads/core-20145.img");
        Result decoded = run("decode", "--pretty", img.toString());
        Result encoded = run(decoded.out(), "encode");
        assertEquals(0, encoded.code(), encoded.err());
        assertArrayEquals(Files.readAllBytes(img), encoded.out());
        Path json = Files.write(tmp.resolve("core.json"), decoded.out());
        Path out = tmp.resolve("core.img");
        assertEquals(0, run("encode", "-i", json.toString(), "-o", out.toString()).code());
        assertArrayEquals(Files.readAllBytes(img), Files.readAllBytes(out));
    }

    @Test
    void showHidesPayloadsWithNopl() {
        Path img = Vectors.root().resolve("pipetree/pipes-data.img");
        Result full = run("show", "--color=never", img.toString());
        Result nopl = run("show", "--nopl", "--color=never", img.toString());
        assertEquals(0, nopl.code(), nopl.err());
        assertTrue(nopl.text().contains("\"extra\": \"... <"), nopl.text());
        assertFalse(full.text().contains("\"extra\": \"... <"), full.text());
    }

    @Test
    void colourOnlyWhenAskedOrOnATerminal() {
        String f = Vectors.root().resolve("counter/fs-20104.img").toString();
        assertTrue(run("show", "--color=always", f).text().contains("\u001b["));
        assertFalse(run("show", "--color=never", f).text().contains("\u001b["));
        assertFalse(run("show", f).text().contains("\u001b["), "auto: tests do not run on a terminal");
        assertFalse(run("info", f).text().contains("\u001b["));
    }

    @Test
    void infoNamesMagicKindCountAndSize() throws Exception {
        Path f = Vectors.root().resolve("memhog16/pagemap-20166.img");
        Result r = run("info", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.text().contains("PAGEMAP (0x56084025, header COMMON)"), r.text());
        assertTrue(r.text().contains("pagemap_head, then array of pagemap_entry"), r.text());
        Result json = run("info", "--json", f.toString());
        JsonNode n = Crit.JSON.readTree(json.out());
        assertEquals(Files.size(f), n.get("size").asLong());
        assertTrue(n.get("count").asLong() > 1);
        Result pages = run("info", Vectors.root().resolve("memhog16/pages-1.img").toString());
        assertTrue(pages.text().contains("raw page contents"), pages.text());
    }

    @Test
    void badImageExitsSevenWithOneLine() throws Exception {
        byte[] orig = Files.readAllBytes(Vectors.root().resolve("counter/mm-20104.img"));
        Path cut = Files.write(tmp.resolve("mm-1.img"), Arrays.copyOf(orig, orig.length / 2));
        assertOneLineError(run("decode", cut.toString()), 7, "mm-1.img at offset 8");
        assertOneLineError(run("show", Vectors.root().resolve("counter/pages-1.img").toString()), 7, "unknown magic");
        assertOneLineError(run("info", cut.toString()), 7, "truncated");
    }

    @Test
    void badEntryAfterGoodOnesLeavesNoPartialJsonOnStdout() throws Exception {
        // files.img has many entries: cut inside the last one, after the first ones decode well
        byte[] orig = Files.readAllBytes(Vectors.root().resolve("counter/files.img"));
        Path cut = Files.write(tmp.resolve("files.img"), Arrays.copyOf(orig, orig.length - 3));
        for (String cmd : new String[] {"decode", "show"}) {
            Result r = run(cmd, cut.toString());
            assertOneLineError(r, 7, "files.img");
            assertEquals(0, r.out().length, cmd + " wrote nothing to stdout: " + r.text());
        }
    }

    @Test
    void missingFileExitsEight() {
        assertOneLineError(run("decode", tmp.resolve("none.img").toString()), 8, "no such file");
        assertOneLineError(run("info", tmp.resolve("none.img").toString()), 8, "no such file");
    }

    @Test
    void usageErrorsExitTwo() {
        Result r = run("decode", "--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option"), r.err());
        assertEquals(2, run("nosuchcommand").code());
        assertEquals(2, run("show").code(), "show needs a file");
    }

    @Test
    void badJsonIsReportedWithItsPath() {
        assertOneLineError(run("{".getBytes(), "encode"), 7, "not valid JSON");
        assertOneLineError(run("{\"magic\": \"NOPE\", \"entries\": []}".getBytes(), "encode"), 7, "unknown image magic 'NOPE'");
        String missing = "{\"magic\": \"FS\", \"entries\": [{\"cwd_id\": 1}]}";
        assertOneLineError(run(missing.getBytes(), "encode"), 7, "entries[0]: fs_entry lacks required fields [root_id]");
        String badFlag = "{\"magic\": \"PAGEMAP\", \"entries\": [{\"pages_id\": 1}, {\"vaddr\": \"0x1000\", \"nr_pages\": 1, \"flags\": \"PE_BOGUS\"}]}";
        assertOneLineError(run(badFlag.getBytes(), "encode"), 7, "entries[1].flags");
        String typo = "{\"magic\": \"FS\", \"entries\": [{\"cwd_id\": 1, \"root_id\": 2, \"umsak\": 18}]}";
        assertOneLineError(run(typo.getBytes(), "encode"), 7, "unknown field 'umsak'");
        String range = "{\"magic\": \"FS\", \"entries\": [{\"cwd_id\": 4294967296, \"root_id\": 2}]}";
        assertOneLineError(run(range.getBytes(), "encode"), 7, "out of range for uint32");
    }

    @Test
    void rawFieldsSurviveARoundTrip() {
        // PIDFD has no schema in jcr: its entries are shown as raw numbered fields and encode back exactly.
        String json = "{\"magic\": \"PIDFD\", \"entries\": [{\"1\": 5, \"2\": \"AQI=\\n\", \"3\": {\"fixed32\": 7}}]}";
        Result enc = run(json.getBytes(), "encode");
        assertEquals(0, enc.code(), enc.err());
        Result dec = run(enc.out(), "decode");
        assertEquals(0, dec.code(), dec.err());
        assertEquals(Crit.parse(json.getBytes()), Crit.parse(dec.out()));
    }

    @Test
    void fieldsUnknownToTheSchemaAreKeptByNumber() throws Exception {
        // fs_entry with an extra field 9 (varint 5) that jcr's schema does not have
        byte[] payload = {0x08, 0x01, 0x10, 0x02, 0x48, 0x05};
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + payload.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(dev.jcr.image.ImageKind.IMG_COMMON).putInt(dev.jcr.image.ImageKind.FS.magic()).putInt(payload.length).put(payload);
        Path f = Files.write(tmp.resolve("fs-9.img"), b.array());
        Result dec = run("decode", f.toString());
        assertEquals(5, Crit.parse(dec.out()).get("entries").get(0).get("9").asInt(), dec.text());
        assertArrayEquals(b.array(), run(dec.out(), "encode").out());
    }
}
