package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** mmap(2) family in jcr's own address space (buffers, mapped image files). */
final class MmanLib {
    static {
        Native.register(MmanLib.class, "c");
    }

    private MmanLib() {
    }

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    static native int munmap(long addr, long length) throws LastErrorException;

    static native int mprotect(long addr, long length, int prot) throws LastErrorException;

    static native int madvise(long addr, long length, int advice) throws LastErrorException;
}
