package dev.jcr.ptrace;

/**
 * The kernel's struct sigaction of x86_64 for one signal: handler (0 = SIG_DFL, 1 = SIG_IGN), SA_*
 * flags, restorer and blocked mask (bit N-1 = signal N), as CRIU's sa_entry stores them.
 */
public record SigAction(int signal, long handler, long flags, long restorer, long mask) {
    public static final long SA_SIGINFO = 4;
    public static final long SA_ONSTACK = 0x08000000L;
    public static final long SA_RESTART = 0x10000000L;
    public static final long SA_RESTORER = 0x04000000L;

    public boolean isDefault() {
        return handler == 0;
    }
}
