package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.Vectors;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The vDSO of the kernel that wrote CRIU's python vector differs from this machine's (its functions
 * sit at other offsets): the dumped code is put back with every exported function redirected.
 */
class VdsoProxyTest {

    @Test
    void thisKernelsVdsoExportsTheTimeFunctions() throws Exception {
        VdsoSymbols now = VdsoSymbols.parse(ownVdso());
        for (String f : new String[] {"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu"}) {
            assertTrue(now.functions().containsKey(f), f + " in " + now.functions().keySet());
        }
    }

    @Test
    void everyFunctionOfTheDumpedVdsoJumpsToTheSameFunctionOfThisKernels() throws Exception {
        byte[] old = dumpedVdsoOfPythonVector();
        VdsoSymbols oldSyms = VdsoSymbols.parse(old);
        VdsoSymbols now = VdsoSymbols.parse(ownVdso());
        long base = 0x7f0000100000L;
        byte[] patched = VdsoProxy.patch(1, old, now, base);
        ByteBuffer b = ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(oldSyms.functions().size() >= 6, oldSyms.functions().keySet().toString());
        for (Map.Entry<String, VdsoSymbols.Symbol> e : oldSyms.functions().entrySet()) {
            int o = (int) e.getValue().offset();
            assertEquals((byte) 0x49, patched[o], e.getKey());
            assertEquals((byte) 0xbb, patched[o + 1], e.getKey());
            assertEquals(base + now.functions().get(e.getKey()).offset(), b.getLong(o + 2), e.getKey());
            assertArrayEquals(new byte[] {0x41, (byte) 0xff, (byte) 0xe3}, java.util.Arrays.copyOfRange(patched, o + 10, o + 13));
        }
        // the rest of the dumped code is left as it was
        assertEquals(old.length, patched.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(old, 0, 64), java.util.Arrays.copyOfRange(patched, 0, 64));
    }

    @Test
    void theVectorsKernelReallyHadAnotherVdsoLayout() throws Exception {
        VdsoSymbols old = VdsoSymbols.parse(dumpedVdsoOfPythonVector());
        VdsoSymbols now = VdsoSymbols.parse(ownVdso());
        // if this ever fails the machine runs the vectors' kernel again, and the python restore test
        // no longer exercises the proxy
        assertNotEquals(old.functions().get("__vdso_clock_gettime"), now.functions().get("__vdso_clock_gettime"));
    }

    @Test
    void aFunctionThisKernelLacksIsRefusedNamingIt() throws Exception {
        byte[] old = dumpedVdsoOfPythonVector();
        VdsoSymbols lacking = new VdsoSymbols(Map.of("__vdso_time", new VdsoSymbols.Symbol(0x100, 0x20)));
        RestoreException e = assertThrows(RestoreException.class, () -> VdsoProxy.patch(7, old, lacking, 0));
        // functions are visited by name: the first the stand-in kernel lacks
        assertTrue(e.getMessage().contains("exports __vdso_clock_getres, which this kernel's vDSO lacks"), e.getMessage());
    }

    @Test
    void aTruncatedElfIsNotParsed() {
        assertThrows(IllegalArgumentException.class, () -> VdsoSymbols.parse(new byte[] {0x7f, 'E', 'L', 'F'}));
    }

    private static byte[] ownVdso() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith("[vdso]")) {
                String[] r = line.split("\\s+")[0].split("-");
                long start = Long.parseUnsignedLong(r[0], 16);
                long end = Long.parseUnsignedLong(r[1], 16);
                return Linux.readMemory(Linux.getpid(), start, (int) (end - start));
            }
        }
        throw new AssertionError("no [vdso] in /proc/self/maps");
    }

    private static byte[] dumpedVdsoOfPythonVector() {
        Path dir = Vectors.root().resolve("python");
        MmEntry mm = ImageDir.open(dir).readSingle(ImageKind.MM, 20185, MmEntry.class);
        VmaEntry vdso = mm.getVmasList().stream().filter(v -> Vmas.is(v, Vmas.VDSO)).findFirst().orElseThrow();
        byte[] code = new byte[(int) Vmas.length(vdso)];
        try (ProcessMemory mem = ProcessMemory.open(dir, 20185)) {
            for (long a = vdso.getStart(); a < vdso.getEnd(); a += 4096) {
                ByteBuffer page = mem.page(a).orElseThrow(() -> new AssertionError("CRIU saved the vDSO's pages"));
                page.get(code, (int) (a - vdso.getStart()), 4096);
            }
        }
        return code;
    }
}
