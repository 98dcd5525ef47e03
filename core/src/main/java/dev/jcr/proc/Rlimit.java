package dev.jcr.proc;

/**
 * One line of /proc/PID/limits. Unlimited is {@link #INFINITY} (-1, i.e. RLIM_INFINITY = ~0 as an
 * unsigned 64-bit number, the value CRIU images carry).
 */
public record Rlimit(String name, long soft, long hard, String unit) {

    public static final long INFINITY = -1L;
}
