package dev.jcr.proc;

/** The Seccomp field of /proc/PID/status. */
public enum SeccompMode {
    DISABLED, STRICT, FILTER;

    public static SeccompMode ofCode(int code) {
        return switch (code) {
            case 0 -> DISABLED;
            case 1 -> STRICT;
            case 2 -> FILTER;
            default -> throw new IllegalArgumentException("unknown seccomp mode " + code);
        };
    }
}
