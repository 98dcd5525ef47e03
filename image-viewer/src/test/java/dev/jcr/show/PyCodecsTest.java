package dev.jcr.show;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** crit's text encodings, checked against Python itself. */
class PyCodecsTest {

    @Test
    void quotedPrintableAndBase64MatchPython() {
        Crit.assumeAvailable();
        Random rnd = new Random(3);
        List<byte[]> samples = new ArrayList<>();
        String alphabet = "ab =.\t\n\r\u0000\u00ff/x";
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            for (int j = 0; j < b.length; j++) {
                b[j] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
            }
            samples.add(b);
        }
        samples.add(".".getBytes());
        samples.add("line\r\nnext \r\n".getBytes());
        StringBuilder arg = new StringBuilder();
        for (byte[] s : samples) {
            arg.append(Base64.getEncoder().encodeToString(s)).append(',');
        }
        String script = String.join("\n",
                "import sys, json, base64, quopri",
                "out = []",
                "for s in sys.argv[1].split(',')[:-1]:",
                "    b = base64.b64decode(s)",
                "    e = quopri.encodestring(b)",
                "    out.append([e.decode(), base64.encodebytes(b).decode(), base64.b64encode(quopri.decodestring(e)).decode()])",
                "print(json.dumps(out))");
        JsonNode py = Crit.parse(Crit.run(List.of("/usr/bin/python3", "-c", script, arg.toString()), null));
        for (int i = 0; i < samples.size(); i++) {
            byte[] s = samples.get(i);
            String qp = PyCodecs.encodeQp(s);
            assertEquals(py.get(i).get(0).asText(), qp, "quopri of sample " + i);
            // quopri is lossy for some inputs (CR LF in text mode): match Python's decode, not the input
            assertArrayEquals(Base64.getDecoder().decode(py.get(i).get(2).asText()), PyCodecs.decodeQp(qp), "quopri decode " + i);
            assertEquals(py.get(i).get(1).asText(), PyCodecs.encodeBytes(s), "base64 of sample " + i);
            assertArrayEquals(s, PyCodecs.decodeBytes(PyCodecs.encodeBytes(s)));
        }
    }

    @Test
    void jsonTextIsWhatPythonPrints() {
        Crit.assumeAvailable();
        String script = "import json,sys; print(json.dumps(json.loads(sys.argv[1]), indent=int(sys.argv[2]) or None))";
        String in = "{\"a\": [1, -2, 18446744073709551615, {}], \"b\": {\"c\": \"\\u00e9\\u0001\\\"\\\\/\", \"d\": []}, \"e\": true}";
        for (int indent : new int[] {0, 4}) {
            String py = new String(Crit.run(List.of("/usr/bin/python3", "-c", script, in, Integer.toString(indent)), null),
                    StandardCharsets.UTF_8);
            java.io.StringWriter w = new java.io.StringWriter();
            new PyJson(w, indent, Colors.NONE).write(Crit.parse(in.getBytes(StandardCharsets.UTF_8)));
            assertEquals(py, w + "\n");
        }
    }

    @Test
    void pythonIntLiteralsAreAccepted() {
        assertEquals(BigInteger.valueOf(31), PyInts.parse("0x1F"));
        assertEquals(BigInteger.valueOf(-5), PyInts.parse("-0x5"));
        assertEquals(BigInteger.valueOf(8), PyInts.parse("0o10"));
        assertEquals(BigInteger.valueOf(5), PyInts.parse("0b101"));
        assertEquals(BigInteger.valueOf(1000), PyInts.parse(" 1_000 "));
        assertThrows(NumberFormatException.class, () -> PyInts.parse("010"));
        assertThrows(NumberFormatException.class, () -> PyInts.parse("0x"));
    }

    @Test
    void ipAddressesPrintAsPythonsIpaddress() {
        assertEquals("::1", PrettyFormats.ip(List.of(0, 0, 0, 0x01000000)));
        assertEquals("1:0:0:2::", PrettyFormats.ip(List.of(0x00000100, 0x02000000, 0, 0)));
        assertEquals("2001:db8::1:0:0:1", PrettyFormats.ip(List.of(0xb80d0120, 0, 0x00000100, 0x01000000)));
        int[] w = PrettyFormats.unip("2001:db8::1:0:0:1");
        assertEquals("2001:db8::1:0:0:1", PrettyFormats.ip(List.of(w[0], w[1], w[2], w[3])));
        assertThrows(NumberFormatException.class, () -> PrettyFormats.unip("localhost"));
    }
}
