package dev.jcr.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Signal sets from /proc/PID/status (SigPnd, ShdPnd, SigBlk, SigIgn, SigCgt). Bit N-1 stands for
 * signal N, as in the kernel's sigset_t.
 */
public record SignalMasks(long pending, long sharedPending, long blocked, long ignored, long caught) {

    /** Names of the signals in MASK, e.g. [SIGHUP, SIGUSR2]; real-time signals as SIGRTMIN+n. */
    public static List<String> names(long mask) {
        List<String> out = new ArrayList<>();
        for (int sig = 1; sig <= 64; sig++) {
            if ((mask & (1L << (sig - 1))) != 0) {
                out.add(name(sig));
            }
        }
        return out;
    }

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
            "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) {
            return NAMES[sig];
        }
        return sig >= 34 ? "SIGRTMIN+" + (sig - 34) : "SIG" + sig;
    }
}
