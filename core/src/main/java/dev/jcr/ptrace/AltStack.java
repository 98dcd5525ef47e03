package dev.jcr.ptrace;

/** stack_t of sigaltstack(2): base, flags (SS_ONSTACK 1, SS_DISABLE 2, SS_AUTODISARM 1<<31) and size. */
public record AltStack(long sp, int flags, long size) {
    public static final int SS_DISABLE = 2;

    public boolean disabled() {
        return (flags & SS_DISABLE) != 0;
    }
}
