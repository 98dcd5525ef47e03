package dev.jcr.show.model;

import dev.jcr.image.proto.CoreEntry;

/** Task states as CRIU records them in {@code task_core_entry.task_state}. */
public final class Tasks {

    private Tasks() {
    }

    /** 1 alive, 2 dead, 3 stopped, 6 zombie (crit 3.17 swaps the last two; jcr does not). */
    public static String state(int s) {
        return switch (s) {
            case 1 -> "alive";
            case 2 -> "dead";
            case 3 -> "stopped";
            case 4 -> "helper";
            case 5 -> "thread";
            case 6 -> "zombie";
            default -> "state " + s;
        };
    }

    /** The command name of a thread: its task core's comm, or the thread core's for non-leaders. */
    public static String comm(CoreEntry c) {
        if (c.hasTc()) {
            return c.getTc().getComm();
        }
        if (c.hasThreadCore() && c.getThreadCore().hasComm()) {
            return c.getThreadCore().getComm();
        }
        return "?";
    }

    public static String state(CoreEntry c) {
        return c.hasTc() ? state(c.getTc().getTaskState()) : "?";
    }

    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
            "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
            "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
            "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    /** Signal number → name (SIGRTMIN+n for real-time signals). */
    public static String signal(int n) {
        if (n > 0 && n < SIGNALS.length) {
            return SIGNALS[n];
        }
        if (n >= 34 && n <= 64) {
            return n == 34 ? "SIGRTMIN" : "SIGRTMIN+" + (n - 34);
        }
        return "signal " + n;
    }

    /**
     * The signal of entry {@code i} of {@code task_core.sigactions}: CRIU lists signals 1..64 but
     * leaves out SIGKILL and SIGSTOP, whose handlers cannot be changed (62 entries).
     */
    public static int sigactionSignal(int i) {
        int sig = i + 1;
        if (sig >= 9) {
            sig++;
        }
        if (sig >= 19) {
            sig++;
        }
        return sig;
    }

    /** A signal mask as names ({@code SIGINT,SIGUSR1}), or {@code none}. */
    public static String sigset(long mask) {
        if (mask == 0) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                s.append(s.length() == 0 ? "" : ",").append(signal(i + 1));
            }
        }
        return s.toString();
    }

    private static final String[] RLIMITS = {"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE",
            "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME"};

    /** RLIMIT_* name of the resource at position {@code i} of the rlimits array. */
    public static String rlimit(int i) {
        return i < RLIMITS.length ? RLIMITS[i] : "rlimit " + i;
    }

    /** A limit value; all ones is unlimited. */
    public static String limit(long v) {
        return v == -1L ? "unlimited" : Long.toUnsignedString(v);
    }
}
