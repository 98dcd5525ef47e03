package dev.jcr.show;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.image.ImageReader;
import dev.jcr.image.Vectors;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jcr-show against the reference decoder, crit, on real CRIU 4.2 images and on images jcr wrote. */
class CritOracleTest {

    @TempDir
    static Path tmp;
    static Path written;

    @BeforeAll
    static void writeImages() {
        written = JcrWrittenImages.write(tmp.resolve("jcr-dump"));
    }

    static ObjectNode jcrDecode(Path f, boolean pretty) {
        try (ImageReader r = ImageReader.open(f)) {
            return ImageJson.decode(r, pretty, false);
        }
    }

    /** The tree as parsed from its text: numbers of any node type compare by value. */
    static JsonNode canon(JsonNode n) {
        try {
            return Crit.JSON.readTree(n.toString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<Path> imagesOf(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> !f.getFileName().toString().startsWith("pages-")).sorted().toList();
        }
    }

    private static void assertSameAsCrit(List<Path> files, boolean pretty) {
        Map<Path, JsonNode> crit = Crit.decodeAll(files, pretty);
        for (Path f : files) {
            assertEquals(canon(crit.get(f)), canon(CritSchema.asCrit317(jcrDecode(f, pretty))), (pretty ? "pretty " : "plain ") + f);
        }
    }

    @Test
    void vectorsDecodeAsCritDecodesThem() {
        Crit.assumeAvailable();
        assertSameAsCrit(Vectors.images(), false);
    }

    @Test
    void vectorsDecodePrettyAsCritDecodesThem() {
        Crit.assumeAvailable();
        assertSameAsCrit(Vectors.images(), true);
    }

    @Test
    void imagesWrittenByJcrDecodeInCritAsInJcr() throws Exception {
        Crit.assumeAvailable();
        List<Path> files = imagesOf(written);
        assertTrue(files.size() >= 15, "written: " + files);
        assertSameAsCrit(files, false);
        assertSameAsCrit(files, true);
    }

    @Test
    void theCritCommandItselfAgreesOnAFewImages() throws Exception {
        Crit.assumeAvailable();
        for (Path f : List.of(written.resolve("files.img"), written.resolve("mm-100.img"),
                Vectors.root().resolve("pipetree/pipes-data.img"))) {
            assertEquals(canon(Crit.decode(f, true)), canon(CritSchema.asCrit317(jcrDecode(f, true))), f.toString());
            assertEquals(canon(Crit.decode(f, false)), canon(CritSchema.asCrit317(jcrDecode(f, false))), f.toString());
        }
    }

    @Test
    void prettyOutputUsesCritsMarks() {
        ObjectNode files = jcrDecode(written.resolve("files.img"), true);
        JsonNode reg = files.get("entries").get(0).get("reg");
        assertEquals("O_RDWR | O_APPEND | O_CLOEXEC | 0x40000000", reg.get("flags").asText());
        JsonNode isk = files.get("entries").get(3).get("isk");
        assertEquals("INET", isk.get("family").asText());
        assertEquals("127.0.0.1", isk.get("src_addr").get(0).asText());
        assertEquals("192.168.1.10", isk.get("dst_addr").get(0).asText());
        JsonNode isk6 = files.get("entries").get(4).get("isk");
        assertEquals("fe80::1", isk6.get("src_addr").get(0).asText());
        assertEquals("::", isk6.get("dst_addr").get(0).asText());
        assertEquals("8:1", files.get("entries").get(7).get("ify").get("wd").get(0).get("s_dev").asText());
        ObjectNode mm = jcrDecode(written.resolve("mm-100.img"), true);
        JsonNode vsyscall = mm.get("entries").get(0).get("vmas").get(2);
        assertEquals("0xffffffffff600000", vsyscall.get("start").asText());
        assertEquals("VMA_AREA_REGULAR | VMA_AREA_VSYSCALL | VMA_UNSUPP | 0x100000", vsyscall.get("status").asText());
        ObjectNode core = jcrDecode(written.resolve("core-100.img"), true);
        assertTrue(core.get("entries").get(0).get("thread_info").get("gpregs").get("ip").asText().startsWith("0x"),
                "a message marked hex makes every integer in it hex");
    }

    @Test
    void taskStatesAreNamedCorrectlyUnlikeCrit317() {
        CritJson pretty = new CritJson(true);
        var stopped = dev.jcr.image.proto.TaskCoreEntry.newBuilder().setTaskState(3).setExitCode(0).setPersonality(0)
                .setFlags(0).setBlkSigset(0).setComm("x").build();
        assertEquals("Stopped", pretty.toJson(stopped).get("task_state").asText());
        assertEquals("Zombie", pretty.toJson(stopped.toBuilder().setTaskState(6).build()).get("task_state").asText());
        assertEquals(stopped, pretty.fromJson(pretty.toJson(stopped), stopped, "t"));
    }

    @Test
    void decodeThenEncodeGivesBackEveryVectorByteForByte() throws Exception {
        for (boolean pretty : new boolean[] {false, true}) {
            for (Path f : Vectors.images()) {
                assertRoundTrip(f, pretty);
            }
        }
    }

    @Test
    void decodeThenEncodeGivesBackEveryJcrWrittenImage() throws Exception {
        for (boolean pretty : new boolean[] {false, true}) {
            for (Path f : imagesOf(written)) {
                assertRoundTrip(f, pretty);
            }
        }
    }

    private static void assertRoundTrip(Path f, boolean pretty) throws Exception {
        ObjectNode json = jcrDecode(f, pretty);
        // through text, as a person or script would use it
        JsonNode reparsed = EncodeCommand.Json.MAPPER.readTree(json.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageJson.encode(reparsed, out);
        assertArrayEquals(Files.readAllBytes(f), out.toByteArray(), (pretty ? "pretty " : "plain ") + f);
    }

    @Test
    void critsJsonOfTheVectorsEncodesToTheOriginalBytes() {
        Crit.assumeAvailable();
        for (boolean pretty : new boolean[] {false, true}) {
            List<Path> files = Vectors.images().stream()
                    .filter(f -> !f.getFileName().toString().startsWith("core-")
                            && !f.getFileName().toString().startsWith("inventory")
                            && !f.getFileName().toString().startsWith("pagemap-"))
                    .toList();
            Map<Path, JsonNode> crit = Crit.decodeAll(files, pretty);
            for (Path f : files) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageJson.encode(crit.get(f), out);
                try {
                    assertArrayEquals(Files.readAllBytes(f), out.toByteArray(), f.toString());
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void imagesCritEncodesFromEditedJsonDecodeIdenticallyInJcr() throws Exception {
        Crit.assumeAvailable();
        // Edit crit's own JSON of a real image, let crit encode it, and read it back with jcr.
        Path mmFile = Vectors.root().resolve("counter/mm-20104.img");
        ObjectNode mm = (ObjectNode) Crit.decode(mmFile, true);
        ObjectNode vma = (ObjectNode) mm.get("entries").get(0).get("vmas").get(0);
        vma.put("prot", "PROT_READ | PROT_EXEC");
        vma.put("status", "VMA_AREA_REGULAR | VMA_FILE_SHARED | 0x10000");
        vma.put("madv", "0x20");
        ((ObjectNode) mm.get("entries").get(0)).put("mm_brk", "0x1234000");
        checkCritEncoded(mm, "mm-1.img", true);

        ObjectNode files = (ObjectNode) Crit.decode(written.resolve("files.img"), false);
        ObjectNode usk = (ObjectNode) files.get("entries").get(2).get("usk");
        usk.put("name", "=00abstract=3Dname");
        usk.put("state", 7);
        ObjectNode isk = (ObjectNode) files.get("entries").get(3).get("isk");
        isk.putArray("src_addr").add(0x0101a8c0);
        checkCritEncoded(files, "files.img", false);

        ObjectNode pipes = (ObjectNode) Crit.decode(Vectors.root().resolve("pipetree/pipes-data.img"), false);
        ObjectNode pd = (ObjectNode) pipes.get("entries").get(0);
        pd.put("bytes", 3);
        pd.put("extra", "AAEC\n");
        checkCritEncoded(pipes, "pipes-data.img", false);

        ObjectNode pagemap = (ObjectNode) Crit.decode(written.resolve("pagemap-100.img"), true);
        ((ObjectNode) pagemap.get("entries").get(1)).put("vaddr", "0x500000");
        ((ObjectNode) pagemap.get("entries").get(1)).put("flags", "PE_LAZY | PE_PRESENT");
        checkCritEncoded(pagemap, "pagemap-1.img", true);
    }

    private void checkCritEncoded(ObjectNode critJson, String name, boolean pretty) throws Exception {
        byte[] bytes = Crit.encode(critJson);
        Path f = Files.write(tmp.resolve("crit-" + name), bytes);
        assertEquals(canon(Crit.decode(f, pretty)), canon(CritSchema.asCrit317(jcrDecode(f, pretty))), name);
        assertEquals(canon(critJson), canon(CritSchema.asCrit317(jcrDecode(f, pretty))), name + " holds what was edited");
    }
}
