package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.UserX86FpregsEntry;
import dev.jcr.image.proto.UserX86RegsEntry;
import dev.jcr.image.proto.UserX86XsaveEntry;
import dev.jcr.ptrace.FpuState;
import dev.jcr.ptrace.GpRegs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts a thread's dumped registers (CRIU's protobuf shapes) into what ptrace writes back. */
final class ThreadState {

    private ThreadState() {
    }

    /**
     * The image's registers as they are: a thread dumped inside a syscall has them rewound (CRIU's
     * convention); {@link SyscallRestart} turns that back into an interrupted call before resume.
     */
    static GpRegs gpRegs(UserX86RegsEntry r) {
        return new GpRegs(r.getR15(), r.getR14(), r.getR13(), r.getR12(), r.getBp(), r.getBx(), r.getR11(),
                r.getR10(), r.getR9(), r.getR8(), r.getAx(), r.getCx(), r.getDx(), r.getSi(), r.getDi(),
                r.getOrigAx(), r.getIp(), r.getCs(), r.getFlags(), r.getSp(), r.getSs(), r.getFsBase(),
                r.getGsBase(), r.getDs(), r.getEs(), r.getFs(), r.getGs());
    }

    /**
     * The XSAVE image for the dumped FPU state, laid over BASE (the thread's current state, which
     * has the kernel's size and software-reserved bytes).
     */
    static FpuState fpu(int tid, UserX86FpregsEntry f, FpuState base) {
        ByteBuffer fx = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        fx.putShort(0, (short) f.getCwd()).putShort(2, (short) f.getSwd()).putShort(4, (short) f.getTwd())
                .putShort(6, (short) f.getFop()).putLong(8, f.getRip()).putLong(16, f.getRdp())
                .putInt(24, f.getMxcsr()).putInt(28, f.getMxcsrMask());
        putInts(fx, 32, f.getStSpaceList(), 32);
        putInts(fx, 160, f.getXmmSpaceList(), 64);
        putInts(fx, 416, f.getPaddingList(), 12);
        FpuState s = base.withLegacy(fx.array());
        if (!f.hasXsave() || !base.hasXsave()) {
            return s;
        }
        UserX86XsaveEntry x = f.getXsave();
        try {
            s = component(s, FpuState.YMM, ints(x.getYmmhSpaceList()));
            s = component(s, FpuState.BNDREGS, longs(x.getBndregStateList()));
            s = component(s, FpuState.BNDCSR, longs(x.getBndcsrStateList()));
            s = component(s, FpuState.OPMASK, longs(x.getOpmaskRegList()));
            s = component(s, FpuState.ZMM_HI256, longs(x.getZmmUpperList()));
            s = component(s, FpuState.HI16_ZMM, longs(x.getHi16ZmmList()));
            s = component(s, FpuState.PKRU, ints(x.getPkruList()));
        } catch (IllegalArgumentException e) {
            throw new RestoreException(Kind.UNSUPPORTED, "thread " + tid + ": its FPU state uses a register set this CPU"
                    + " lacks (" + e.getMessage() + ")");
        }
        byte[] raw = s.raw();
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putLong(512, x.getXstateBv() & supported(base));
        return FpuState.of(raw, true);
    }

    /** xstate_bv bits this kernel's image may carry: those of the thread's own state plus x87/SSE/AVX. */
    private static long supported(FpuState base) {
        byte[] raw = base.raw();
        long xcr0 = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong(472); // sw_reserved holds fx_sw_bytes: magic1, size, xfeatures
        return xcr0 == 0 ? -1L : xcr0;
    }

    private static FpuState component(FpuState s, int i, byte[] data) {
        return data.length == 0 ? s : s.withComponent(i, data);
    }

    private static void putInts(ByteBuffer b, int off, java.util.List<Integer> v, int max) {
        for (int i = 0; i < Math.min(v.size(), max); i++) {
            b.putInt(off + 4 * i, v.get(i));
        }
    }

    private static byte[] ints(java.util.List<Integer> v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
        v.forEach(b::putInt);
        return b.array();
    }

    private static byte[] longs(java.util.List<Long> v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
        v.forEach(b::putLong);
        return b.array();
    }
}
