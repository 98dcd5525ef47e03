package dev.jcr.fault;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request to end the running dump or restore early and cleanly (SIGINT, SIGTERM, SIGHUP to jcr,
 * jcr-top closed mid-dump). Process-wide, as signals are: the front end {@link #request}s, the
 * engines notice at their next fault point ({@link Faults#hit} checks here first) or progress step,
 * and leave by throwing {@link Cancelled} through exactly the paths {@code JCR_FAULT=<point>:throw}
 * tests at every point: the tree is released unharmed, a partial image directory removed, the
 * processes a restore created killed. Points after a commit (the directory renamed, the restored
 * root released) are not cancellation points: what is complete stays.
 */
public final class Cancellation {

    private static volatile String requested;
    /** The request was thrown once: the operation is unwinding, and its cleanup must not be cut short. */
    private static volatile boolean delivered;
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private Cancellation() {
    }

    /** Asks the running operation to end; WHY names the cause ("SIGTERM", "jcr-top closed"). */
    public static void request(String why) {
        requested = why;
    }

    /** Forgets a request (a front end does this before it starts an operation). */
    public static void reset() {
        requested = null;
        delivered = false;
    }

    public static boolean requested() {
        return requested != null;
    }

    /** What asked for the cancellation (null when nothing did). */
    public static String reason() {
        return requested;
    }

    /** How many dumps or restores are running in this process. */
    public static int running() {
        return RUNNING.get();
    }

    /** An engine starts an operation (pair with {@link #leave}). */
    public static void enter() {
        RUNNING.incrementAndGet();
    }

    public static void leave() {
        RUNNING.decrementAndGet();
    }

    /**
     * Throws {@link Cancelled} when a request is pending, once: the cleanup that follows (remote
     * sessions put back, the drain's helper ended and its area unmapped, the tree detached, a
     * half-made restore killed) passes fault points too and must run to its end.
     */
    public static synchronized void check() {
        String why = requested;
        if (why != null && !delivered) {
            delivered = true;
            throw new Cancelled(why);
        }
    }
}
