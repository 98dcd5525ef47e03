package dev.jcr.ptrace;

import dev.jcr.sys.Cpuid;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The FPU/SSE/AVX state of one thread: the standard-format XSAVE image that
 * PTRACE_GETREGSET(NT_X86_XSTATE) returns (or the 512-byte FXSAVE area on CPUs without XSAVE), with
 * accessors for the parts CRIU's user_x86_fpregs_entry and user_x86_xsave_entry hold. Offsets of
 * extended components come from CPUID, because they differ between vendors.
 *
 * <p>An extended component whose bit is clear in xstate_bv is in its initial state; its accessor
 * then returns an empty array (as CRIU leaves the repeated field empty).
 */
public final class FpuState {

    /** XSAVE state components (bit numbers in xstate_bv). */
    public static final int X87 = 0;
    public static final int SSE = 1;
    public static final int YMM = 2;
    public static final int BNDREGS = 3;
    public static final int BNDCSR = 4;
    public static final int OPMASK = 5;
    public static final int ZMM_HI256 = 6;
    public static final int HI16_ZMM = 7;
    public static final int PKRU = 9;

    private static final int LEGACY_SIZE = 512;
    private static final int HEADER = 512;
    private static final int MAX_XSTATE = 32 * 1024;

    private final byte[] raw;
    private final boolean xsave;

    private FpuState(byte[] raw, boolean xsave) {
        this.raw = raw;
        this.xsave = xsave;
    }

    /** Wraps a standard-format XSAVE image (at least 576 bytes) or, with XSAVE false, an FXSAVE area. */
    public static FpuState of(byte[] raw, boolean xsave) {
        if (raw.length < (xsave ? HEADER + 64 : LEGACY_SIZE)) {
            throw new IllegalArgumentException("FPU state too short: " + raw.length + " bytes");
        }
        return new FpuState(raw.clone(), xsave);
    }

    static FpuState read(int tid) {
        try {
            return new FpuState(Linux.ptraceGetRegset(tid, Linux.NT_X86_XSTATE, MAX_XSTATE), true);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL && e.errno() != 19 /* ENODEV */) {
                throw e;
            }
            return new FpuState(Linux.ptraceGetRegset(tid, Linux.NT_PRFPREG, LEGACY_SIZE), false);
        }
    }

    void write(int tid) {
        if (!xsave) {
            Linux.ptraceSetRegset(tid, Linux.NT_PRFPREG, Arrays.copyOf(raw, LEGACY_SIZE));
            return;
        }
        // the kernel wants exactly its own xstate size
        int size = Linux.ptraceGetRegset(tid, Linux.NT_X86_XSTATE, MAX_XSTATE).length;
        Linux.ptraceSetRegset(tid, Linux.NT_X86_XSTATE, Arrays.copyOf(raw, size));
    }

    /** The image as the kernel gave it (for a byte-exact round trip). */
    public byte[] raw() {
        return raw.clone();
    }

    public boolean hasXsave() {
        return xsave;
    }

    private ByteBuffer b() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    }

    // legacy FXSAVE region (user_x86_fpregs_entry)
    public int cwd() {
        return b().getShort(0) & 0xffff;
    }

    public int swd() {
        return b().getShort(2) & 0xffff;
    }

    public int twd() {
        return b().getShort(4) & 0xffff;
    }

    public int fop() {
        return b().getShort(6) & 0xffff;
    }

    public long rip() {
        return b().getLong(8);
    }

    public long rdp() {
        return b().getLong(16);
    }

    public int mxcsr() {
        return b().getInt(24);
    }

    public int mxcsrMask() {
        return b().getInt(28);
    }

    /** ST0..ST7 / MM0..MM7: 8 registers × 16 bytes as 32 u32. */
    public int[] stSpace() {
        return ints(32, 32);
    }

    /** XMM0..XMM15: 16 × 16 bytes as 64 u32. */
    public int[] xmmSpace() {
        return ints(160, 64);
    }

    /** Bytes 416..511 of the FXSAVE area as 24 u32 (includes the kernel's sw_reserved words). */
    public int[] padding() {
        return ints(416, 24);
    }

    /** The 16 bytes of XMM register N. */
    public byte[] xmm(int n) {
        return Arrays.copyOfRange(raw, 160 + 16 * n, 176 + 16 * n);
    }

    // XSAVE header and extended components (user_x86_xsave_entry)
    public long xstateBv() {
        return xsave ? b().getLong(HEADER) : 0;
    }

    /** Upper halves of YMM0..YMM15: 64 u32. */
    public int[] ymmhSpace() {
        byte[] c = component(YMM);
        return c.length == 0 ? new int[0] : ints(c);
    }

    /** The 32 bytes of YMM register N (low XMM half then high half), zeros where the state is initial. */
    public byte[] ymm(int n) {
        byte[] out = new byte[32];
        System.arraycopy(raw, 160 + 16 * n, out, 0, 16);
        byte[] c = component(YMM);
        if (c.length > 0) {
            System.arraycopy(c, 16 * n, out, 16, 16);
        }
        return out;
    }

    public long[] bndregState() {
        return longs(component(BNDREGS));
    }

    public long[] bndcsrState() {
        return longs(component(BNDCSR));
    }

    /** AVX-512 opmask registers k0..k7. */
    public long[] opmaskReg() {
        return longs(component(OPMASK));
    }

    /** Upper 256 bits of ZMM0..ZMM15: 64 u64. */
    public long[] zmmUpper() {
        return longs(component(ZMM_HI256));
    }

    /** ZMM16..ZMM31 whole: 128 u64. */
    public long[] hi16Zmm() {
        return longs(component(HI16_ZMM));
    }

    /** The PKRU register (as 2 u32, CRIU's shape), empty when absent or initial. */
    public int[] pkru() {
        byte[] c = component(PKRU);
        return c.length == 0 ? new int[0] : ints(c);
    }

    /** Raw bytes of extended component I, or empty if its xstate_bv bit is clear or the CPU lacks it. */
    public byte[] component(int i) {
        if (!xsave || (xstateBv() & (1L << i)) == 0) {
            return new byte[0];
        }
        int[] offSize = Cpuid.xstateComponent(i);
        if (offSize[1] == 0 || offSize[0] + offSize[1] > raw.length) {
            return new byte[0];
        }
        return Arrays.copyOfRange(raw, offSize[0], offSize[0] + offSize[1]);
    }

    /**
     * A copy with extended component I replaced by DATA (and its xstate_bv bit set) — how a restore
     * composes an image from CRIU's separate fields.
     */
    public FpuState withComponent(int i, byte[] data) {
        int[] offSize = Cpuid.xstateComponent(i);
        if (!xsave || offSize[1] == 0) {
            throw new IllegalArgumentException("this CPU has no XSAVE component " + i);
        }
        byte[] copy = raw.clone();
        System.arraycopy(data, 0, copy, offSize[0], Math.min(data.length, offSize[1]));
        ByteBuffer bb = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(HEADER, bb.getLong(HEADER) | (1L << i));
        return new FpuState(copy, true);
    }

    /** A copy with the 512-byte legacy FXSAVE region replaced (x87 and SSE bits of xstate_bv set). */
    public FpuState withLegacy(byte[] fxsave) {
        byte[] copy = raw.clone();
        System.arraycopy(fxsave, 0, copy, 0, 464); // keep the kernel's sw_reserved bytes
        if (xsave) {
            ByteBuffer bb = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
            bb.putLong(HEADER, bb.getLong(HEADER) | 3);
        }
        return new FpuState(copy, xsave);
    }

    private int[] ints(int off, int n) {
        int[] out = new int[n];
        ByteBuffer bb = b();
        for (int i = 0; i < n; i++) {
            out[i] = bb.getInt(off + 4 * i);
        }
        return out;
    }

    private static int[] ints(byte[] c) {
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[c.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getInt(4 * i);
        }
        return out;
    }

    private static long[] longs(byte[] c) {
        ByteBuffer bb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[c.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getLong(8 * i);
        }
        return out;
    }
}
