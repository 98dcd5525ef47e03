package dev.jcr.ptrace;

/**
 * The general registers of one x86_64 thread (struct user_regs_struct), named as in CRIU's
 * user_x86_regs_entry. {@code origAx} is the syscall number the thread was in (-1 when none): with
 * {@code ax} = -ERESTART… it tells the kernel to restart an interrupted syscall on resume.
 */
public record GpRegs(long r15, long r14, long r13, long r12, long bp, long bx, long r11, long r10, long r9,
        long r8, long ax, long cx, long dx, long si, long di, long origAx, long ip, long cs, long flags, long sp,
        long ss, long fsBase, long gsBase, long ds, long es, long fs, long gs) {

    // indices into the user_regs_struct array
    static final int R10 = 7;
    static final int R9 = 8;
    static final int R8 = 9;
    static final int AX = 10;
    static final int DX = 12;
    static final int SI = 13;
    static final int DI = 14;
    static final int ORIG_AX = 15;
    static final int IP = 16;
    static final int SP = 19;

    /** From the 27 longs of user_regs_struct in kernel order. */
    public static GpRegs fromArray(long[] a) {
        return new GpRegs(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13],
                a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23], a[24], a[25], a[26]);
    }

    /** The 27 longs of user_regs_struct in kernel order. */
    public long[] toArray() {
        return new long[] {r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, origAx, ip, cs, flags,
            sp, ss, fsBase, gsBase, ds, es, fs, gs};
    }

    /** True when the thread was stopped inside a syscall (orig_ax holds its number). */
    public boolean inSyscall() {
        return origAx >= 0;
    }

    // Kernel-internal "restart me" codes a syscall interrupted by our stop may leave in ax.
    public static final long ERESTARTSYS = -512;
    static final long ERESTARTNOINTR = -513;
    public static final long ERESTARTNOHAND = -514;
    static final long ERESTART_RESTARTBLOCK = -516;
    static final long EINTR = -4;

    /**
     * The registers to record in an image, with an interrupted syscall resolved the way CRIU does it:
     * a restartable one is rewound to run again (ax = its number, ip back over the 2-byte
     * {@code syscall} instruction), and one that needs the kernel's per-task restart block (nanosleep,
     * poll with a timeout …) returns -EINTR instead. Why: a restored task is a new kernel task; it
     * does not have our target's restart block but inherits the seed's, so {@code restart_syscall}
     * would resume the wrong call (e.g. the seed's endless sleep).
     */
    public GpRegs forImage() {
        if (!inSyscall()) {
            return this;
        }
        if (ax == ERESTARTSYS || ax == ERESTARTNOINTR || ax == ERESTARTNOHAND) {
            return withAxIp(origAx, ip - 2);
        }
        if (ax == ERESTART_RESTARTBLOCK) {
            return withAxIp(EINTR, ip);
        }
        return this;
    }

    /** These registers with ax and ip replaced. */
    public GpRegs withAxIp(long newAx, long newIp) {
        return new GpRegs(r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, newAx, cx, dx, si, di, origAx, newIp, cs,
                flags, sp, ss, fsBase, gsBase, ds, es, fs, gs);
    }
}
