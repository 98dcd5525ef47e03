package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class GpRegsTest {

    private static GpRegs regs(long ax, long origAx, long ip) {
        long[] a = new long[27];
        a[GpRegs.AX] = ax;
        a[GpRegs.ORIG_AX] = origAx;
        a[GpRegs.IP] = ip;
        return GpRegs.fromArray(a);
    }

    @Test
    void restartableSyscallIsRewoundToRunAgain() {
        GpRegs r = regs(-512, 7, 0x1002).forImage(); // poll interrupted with -ERESTARTSYS
        assertEquals(7, r.ax());
        assertEquals(0x1000, r.ip());
    }

    @Test
    void restartBlockSyscallReturnsEintrBecauseTheRestoredTaskHasNoRestartBlock() {
        GpRegs r = regs(-516, 230, 0x1002).forImage(); // clock_nanosleep
        assertEquals(-4, r.ax());
        assertEquals(0x1002, r.ip());
    }

    @Test
    void registersOutsideASyscallOrWithAResultAreKept() {
        GpRegs outside = regs(-516, -1, 0x1002);
        assertSame(outside, outside.forImage());
        GpRegs done = regs(42, 0, 0x1002);
        assertSame(done, done.forImage());
    }
}
