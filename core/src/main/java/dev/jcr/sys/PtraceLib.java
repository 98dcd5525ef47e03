package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * ptrace(2) through glibc, direct-mapped. Addresses and data are passed as {@code long}: on x86_64
 * a pointer and a long travel in the same register, and no Pointer object is made per call.
 */
final class PtraceLib {
    static {
        Native.register(PtraceLib.class, "c");
    }

    private PtraceLib() {
    }

    static native long ptrace(int request, int pid, long addr, long data) throws LastErrorException;
}
