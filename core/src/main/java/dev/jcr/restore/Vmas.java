package dev.jcr.restore;

import dev.jcr.image.proto.VmaEntry;

/** The status bits of CRIU's vma_entry and the few questions the restore asks about a VMA. */
final class Vmas {

    static final int REGULAR = 1;
    static final int STACK = 1 << 1;
    static final int VSYSCALL = 1 << 2;
    static final int VDSO = 1 << 3;
    static final int HEAP = 1 << 5;
    static final int FILE_PRIVATE = 1 << 6;
    static final int FILE_SHARED = 1 << 7;
    static final int ANON_SHARED = 1 << 8;
    static final int ANON_PRIVATE = 1 << 9;
    static final int SYSVIPC = 1 << 10;
    static final int SOCKET = 1 << 11;
    static final int VVAR = 1 << 12;
    static final int AIORING = 1 << 13;
    static final int MEMFD = 1 << 14;
    static final int UNSUPP = 1 << 31;

    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_GROWSDOWN = 0x100;
    static final int PROT_WRITE = 2;

    private Vmas() {
    }

    static boolean is(VmaEntry v, int bit) {
        return (v.getStatus() & bit) != 0;
    }

    /** The kernel provides it (vDSO, vvar, vsyscall): moved or left alone, never mapped by us. */
    static boolean special(VmaEntry v) {
        return is(v, VDSO) || is(v, VVAR) || is(v, VSYSCALL);
    }

    static boolean fileBacked(VmaEntry v) {
        return is(v, FILE_PRIVATE) || is(v, FILE_SHARED);
    }

    static long length(VmaEntry v) {
        return v.getEnd() - v.getStart();
    }

    static String describe(VmaEntry v) {
        return String.format("VMA 0x%x-0x%x", v.getStart(), v.getEnd());
    }
}
