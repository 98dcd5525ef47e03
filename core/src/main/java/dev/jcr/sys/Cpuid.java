package dev.jcr.sys;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The CPUID instruction, for facts only the CPU knows: above all the offsets of the XSAVE state
 * components in the standard (non-compacted) layout that PTRACE_GETREGSET(NT_X86_XSTATE) uses. They
 * differ between vendors (AVX-512 opmask at 1088 on Intel, 832 on AMD Zen 4), so they cannot be
 * constants. Java has no CPUID; we place 27 bytes of machine code in an executable page and call it.
 */
public final class Cpuid {

    /*
     * void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]):
     * push rbx; mov r8,rdx; mov eax,edi; mov ecx,esi; cpuid;
     * mov [r8],eax; mov [r8+4],ebx; mov [r8+8],ecx; mov [r8+12],edx; pop rbx; ret
     */
    private static final byte[] CODE = {
        0x53, 0x49, (byte) 0x89, (byte) 0xd0, (byte) 0x89, (byte) 0xf8, (byte) 0x89, (byte) 0xf1, 0x0f, (byte) 0xa2,
        0x41, (byte) 0x89, 0x00, 0x41, (byte) 0x89, 0x58, 0x04, 0x41, (byte) 0x89, 0x48, 0x08, 0x41, (byte) 0x89,
        0x50, 0x0c, 0x5b, (byte) 0xc3};

    private static Function function;

    private Cpuid() {
    }

    /** EAX, EBX, ECX, EDX of CPUID(LEAF, SUBLEAF). */
    public static synchronized int[] query(int leaf, int subleaf) {
        if (function == null) {
            long page = Linux.mmap(0, 4096, Linux.PROT_READ | Linux.PROT_WRITE,
                    Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
            new Pointer(page).write(0, CODE, 0, CODE.length);
            try {
                MmanLib.mprotect(page, 4096, Linux.PROT_READ | Linux.PROT_EXEC);
            } catch (com.sun.jna.LastErrorException e) {
                throw new SyscallException("mprotect", 0, e.getErrorCode());
            }
            function = Function.getFunction(new Pointer(page));
        }
        Memory out = new Memory(16);
        function.invokeVoid(new Object[] {leaf, subleaf, out});
        return out.getIntArray(0, 4);
    }

    /**
     * Where state component I lives in the standard XSAVE layout and how big it is: {offset, size},
     * or {0, 0} when the CPU does not have it. Components 0 and 1 (x87, SSE) are the legacy region.
     */
    public static int[] xstateComponent(int i) {
        int[] r = query(0xd, i);
        return new int[] {r[1], r[0]};
    }

    /** The XCR0 feature mask the CPU supports for user state (CPUID 0xD.0 EDX:EAX). */
    public static long supportedXfeatures() {
        int[] r = query(0xd, 0);
        return (r[0] & 0xffffffffL) | ((long) r[3] << 32);
    }
}
