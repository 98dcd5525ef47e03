package dev.jcr.ptrace;

import dev.jcr.sys.Cpuid;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An rt_sigreturn frame that puts one thread back into its own state, written below the thread's
 * stack pointer (under the 128-byte red zone, memory the ABI declares dead) before jcr borrows the
 * thread for remote syscalls. While a session is open the thread's instruction pointer rests on a
 * trampoline ({@code mov $15,%eax; syscall}) with its stack pointer on this frame; if jcr dies at any
 * moment, the kernel detaches the thread, it runs the trampoline, and rt_sigreturn loads everything
 * back from here: the general registers, the signal mask, the FPU/AVX state.
 *
 * <p>Layout, as the x86-64 kernel reads it (arch/x86/kernel/signal_64.c, rt_sigreturn: frame =
 * sp - 8, i.e. {@code struct rt_sigframe {char *pretcode; struct ucontext uc; struct siginfo info;}}
 * with the ucontext at sp):
 * <pre>
 *   uc + 0    uc_flags      UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
 *   uc + 8    uc_link       0
 *   uc + 16   uc_stack      {ss_sp 0, ss_flags 3, ss_size 0}: an invalid mode on purpose (below)
 *   uc + 40   uc_mcontext   struct sigcontext: r8..r15 di si bp bx dx ax cx sp ip flags cs gs fs ss
 *                           err trapno oldmask cr2 fpstate reserved[8] (256 bytes)
 *   uc + 296  uc_sigmask    the thread's own mask (8 bytes)
 *   uc + 304  siginfo       zeros (128 bytes)
 *   fpstate   64-byte aligned XSAVE image, standard format, with FP_XSTATE_MAGIC1 and the
 *             xstate size/features in its software-reserved bytes and FP_XSTATE_MAGIC2 after it:
 *             without those markers the kernel restores only the legacy FXSAVE part and resets
 *             AVX state (fpu__restore_sig / check_xstate_in_sigframe); a NULL fpstate would clear it all
 * </pre>
 *
 * <p>Facts it relies on (kernel sources): restore_sigcontext sets orig_ax = -1, so no syscall restart
 * happens after rt_sigreturn: the registers stored are therefore the thread's registers with an
 * interrupted call already resolved the way the kernel would on a plain resume ({@link GpRegs#forImage}:
 * -ERESTARTSYS/NOINTR/NOHAND rewound onto the {@code syscall} instruction, -ERESTART_RESTARTBLOCK as
 * EINTR, since rt_sigreturn also resets the restart block). restore_altstack ignores every error but
 * EFAULT, and do_sigaltstack refuses an ss_flags mode other than 0, SS_ONSTACK or SS_DISABLE before
 * changing anything: the invalid mode 3 leaves the thread's alternate stack exactly as it is, without
 * jcr having to read it first.
 */
final class RescueFrame {

    static final int RED_ZONE = 128;
    static final int UC_SIZE = 304;
    static final int SIGINFO_SIZE = 128;
    static final int FP_XSTATE_MAGIC1 = 0x46505853;
    static final int FP_XSTATE_MAGIC2 = 0x46505845;
    private static final int UC_FLAGS = 0x1 | 0x2 | 0x4;
    private static final int SW_RESERVED = 464;
    private static final int XSTATE_BV = 512;
    /** AMX tile data: a component a task has only after asking for it (XFD-guarded). */
    private static final long XTILE_DATA = 1L << 18;

    /** Address of the ucontext: what the stack pointer points at while the frame guards the thread. */
    final long uc;
    /** Lowest address the frame uses (its unused pretcode slot). */
    final long low;
    /** The frame's bytes, to be written at {@link #low}. */
    final byte[] bytes;

    private RescueFrame(long uc, long low, byte[] bytes) {
        this.uc = uc;
        this.low = low;
        this.bytes = bytes;
    }

    /** The frame for a thread whose own registers are OWN, signal mask MASK and FPU state FPU. */
    static RescueFrame of(GpRegs own, long mask, FpuState fpu) {
        byte[] fp = fpState(fpu);
        long top = own.sp() - RED_ZONE;
        long fpAddr = (top - fp.length) & ~63L;
        long uc = (fpAddr - UC_SIZE - SIGINFO_SIZE) & ~15L;
        long low = uc - 8;
        ByteBuffer b = ByteBuffer.allocate((int) (fpAddr + fp.length - low)).order(ByteOrder.LITTLE_ENDIAN);
        int u = 8; // offset of uc within the bytes
        GpRegs r = own.forImage();
        b.putLong(u, UC_FLAGS);
        b.putInt(u + 24, 3); // uc_stack.ss_flags: invalid mode, altstack left alone
        int m = u + 40;
        long[] order = {r.r8(), r.r9(), r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15(), r.di(), r.si(), r.bp(),
            r.bx(), r.dx(), r.ax(), r.cx(), r.sp(), r.ip(), r.flags()};
        for (int i = 0; i < order.length; i++) {
            b.putLong(m + 8 * i, order[i]);
        }
        b.putShort(m + 144, (short) r.cs());
        b.putShort(m + 146, (short) r.gs());
        b.putShort(m + 148, (short) r.fs());
        b.putShort(m + 150, (short) r.ss());
        b.putLong(m + 168, mask); // oldmask (informative)
        b.putLong(m + 184, fpAddr);
        b.putLong(u + 296, mask);
        b.put((int) (fpAddr - low), fp);
        return new RescueFrame(uc, low, b.array());
    }

    /**
     * The FPU image as a signal frame holds it: the thread's XSAVE image cut to the size of the
     * components it has (its default features, plus AMX tile data only if it is in use: a larger size
     * than the thread's own xstate would make the kernel fall back to FXSAVE-only), with the
     * software-reserved markers and MAGIC2 behind it. Without XSAVE: the 512-byte FXSAVE area.
     */
    static byte[] fpState(FpuState fpu) {
        byte[] raw = fpu.raw();
        if (!fpu.hasXsave()) {
            return Arrays.copyOf(raw, 512);
        }
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long max = in.getLong(SW_RESERVED); // ptrace puts the user xfeatures (XCR0) there
        if (max == 0) {
            max = Cpuid.supportedXfeatures();
        }
        long bv = in.getLong(XSTATE_BV);
        long features = (max & ~XTILE_DATA) | (bv & XTILE_DATA) | 3;
        int size = 576;
        for (int i = 2; i < 63; i++) {
            if ((features & (1L << i)) != 0) {
                int[] offSize = Cpuid.xstateComponent(i);
                if (offSize[1] > 0) {
                    size = Math.max(size, offSize[0] + offSize[1]);
                }
            }
        }
        if (size > raw.length) {
            size = raw.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(raw, 0, size);
        for (int i = SW_RESERVED; i < 512; i++) {
            out.put(i, (byte) 0);
        }
        out.putInt(SW_RESERVED, FP_XSTATE_MAGIC1);
        out.putInt(SW_RESERVED + 4, size + 4); // extended_size
        out.putLong(SW_RESERVED + 8, features);
        out.putInt(SW_RESERVED + 16, size); // xstate_size
        out.putLong(XSTATE_BV, bv & features);
        out.putInt(size, FP_XSTATE_MAGIC2);
        return out.array();
    }
}
