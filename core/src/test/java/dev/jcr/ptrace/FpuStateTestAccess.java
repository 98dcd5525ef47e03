package dev.jcr.ptrace;

import dev.jcr.testing.LiveProcess;

/** The fpu fixture's helpers for tests of other packages (the dump engine checks the same registers). */
public final class FpuStateTestAccess {

    private FpuStateTestAccess() {
    }

    public static LiveProcess startFpu() {
        return FpuStateTest.startFpu();
    }

    public static byte[] expectedYmm(int r) {
        return FpuStateTest.expectedYmm(r);
    }
}
