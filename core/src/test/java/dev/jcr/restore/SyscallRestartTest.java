package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jcr.ptrace.GpRegs;
import org.junit.jupiter.api.Test;

class SyscallRestartTest {

    private static final long IP = 0x401000;
    /** The 4 bytes at ip - 2: "00 00" (end of a mov) then "0f 05" (syscall) at ip. */
    private static final long AT_SYSCALL = 0x050f0000L;

    private static GpRegs regs(long ax, long origAx) {
        return new GpRegs(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ax, 0, 0, 0, 0, origAx, IP, 0x33, 0x246, 0x7ffd0000, 0x2b, 0, 0,
                0, 0, 0, 0);
    }

    @Test
    void aRewoundPauseEndsWithEintrIfAHandlerRuns() {
        GpRegs r = SyscallRestart.interrupted(regs(34, 34), AT_SYSCALL);
        assertEquals(-514, r.ax());
        assertEquals(IP + 2, r.ip());
        assertEquals(34, r.origAx());
    }

    @Test
    void aRewoundReadRestartsAfterAnSaRestartHandler() {
        GpRegs r = SyscallRestart.interrupted(regs(0, 0), AT_SYSCALL);
        assertEquals(-512, r.ax());
        assertEquals(IP + 2, r.ip());
    }

    @Test
    void aCompletedCallOrAThreadOutsideAnyCallIsLeftAlone() {
        GpRegs wroteOneByte = regs(1, 1); // write (1) returned 1: orig_ax = ax, but ip is past the syscall
        assertSame(wroteOneByte, SyscallRestart.interrupted(wroteOneByte, 0xc3c3050fL));
        assertSame(wroteOneByte, SyscallRestart.interrupted(wroteOneByte, 0x050f050fL)); // syscall; syscall
        GpRegs user = regs(34, -1);
        assertSame(user, SyscallRestart.interrupted(user, AT_SYSCALL));
        GpRegs eintr = regs(-4, 35); // nanosleep already turned into EINTR by the dump
        assertSame(eintr, SyscallRestart.interrupted(eintr, AT_SYSCALL));
    }
}
