package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FpuStateTest {

    static boolean cpuHas(String flag) {
        try {
            return Arrays.asList(Files.readString(Path.of("/proc/cpuinfo")).split("\\s+")).contains(flag);
        } catch (Exception e) {
            return false;
        }
    }

    static LiveProcess startFpu() {
        List<String> flags = new ArrayList<>(List.of("-mavx2"));
        if (cpuHas("avx512f") && cpuHas("avx512bw")) {
            flags.addAll(List.of("-mavx512f", "-mavx512bw"));
        }
        return Fixture.startWithFlags("fpu", flags);
    }

    static byte[] expectedYmm(int r) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) ((r * 32 + i + 1) ^ 0x5a);
        }
        return b;
    }

    static long hex(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Long.parseUnsignedLong(line.substring(key.length() + 1).trim(), 16);
            }
        }
        throw new AssertionError(key);
    }

    @Test
    void xsaveDecodesTheVectorRegistersTheFixtureHolds() {
        try (LiveProcess p = startFpu(); Tracer tracer = Tracer.start()) {
            tracer.seizeTree((int) p.pid());
            FpuState f = tracer.fpuState((int) p.pid());
            assertTrue(f.hasXsave());
            assertTrue((f.xstateBv() & (1 << FpuState.YMM)) != 0, "AVX state in use");
            for (int r = 0; r < 16; r++) {
                assertArrayEquals(Arrays.copyOf(expectedYmm(r), 16), f.xmm(r), "xmm" + r);
                assertArrayEquals(expectedYmm(r), f.ymm(r), "ymm" + r);
            }
            assertEquals(64, f.xmmSpace().length);
            assertEquals(32, f.stSpace().length);
            assertEquals(64, f.ymmhSpace().length);
            assertEquals(0x1f80, f.mxcsr() & 0xffff, "default MXCSR");
            assertEquals(0x37f, f.cwd(), "default x87 control word");
            if (p.stdout().contains("AVX512 1")) {
                long[] hi16 = f.hi16Zmm();
                assertEquals(128, hi16.length);
                assertEquals(0xc7c6c5c4c3c2c1c0L, hi16[0], "zmm16 low qword");
                assertEquals(0x123456789abcdef0L, f.opmaskReg()[1], "k1");
                // zmm0-15 upper halves were never used: initial state, so CRIU's field stays empty
                assertEquals((f.xstateBv() & (1 << FpuState.ZMM_HI256)) == 0 ? 0 : 64, f.zmmUpper().length);
            }
        }
    }

    @Test
    void writtenVectorStateIsWhatTheFixtureComputesWith() {
        try (LiveProcess p = startFpu()) {
            long in = hex(p.stdout(), "IN");
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree((int) p.pid());
                int tid = (int) p.pid();
                FpuState f = tracer.fpuState(tid);
                tracer.setFpuState(tid, f); // unchanged round trip
                assertArrayEquals(f.raw(), tracer.fpuState(tid).raw());

                byte[] ymm3 = new byte[32];
                for (int i = 0; i < 32; i++) {
                    ymm3[i] = (byte) (0xa0 + i);
                }
                byte[] legacy = Arrays.copyOf(f.raw(), 512);
                System.arraycopy(ymm3, 0, legacy, 160 + 3 * 16, 16);
                byte[] ymmh = f.component(FpuState.YMM);
                System.arraycopy(ymm3, 16, ymmh, 3 * 16, 16);
                tracer.setFpuState(tid, f.withLegacy(legacy).withComponent(FpuState.YMM, ymmh));
                assertArrayEquals(ymm3, tracer.fpuState(tid).ymm(3));
                // the fixture compares its registers with IN: change IN the same way
                new RemoteMemory(tid).write(in + 3 * 32, ymm3);
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS vector registers intact"));
        }
    }
}
