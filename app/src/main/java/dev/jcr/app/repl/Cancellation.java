package dev.jcr.app.repl;

/**
 * What Ctrl-C does: interrupt the command that is running, not the REPL. The signal handler calls
 * {@link #cancel()} from its own thread; the thread running a command registers itself with
 * {@link #enter()} and reads the request with {@link #requested()}. Commands see the request as an
 * interrupt (sleeps and blocking waits end with InterruptedException); a command that is in the
 * middle of something it must finish (a dump resuming its target) finishes it first — the REPL
 * waits for it rather than abandoning a half-done operation.
 */
public final class Cancellation {

    private static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread running;
    private volatile boolean requested;

    /** Called by the thread that is about to run a command. */
    public void enter() {
        running = Thread.currentThread();
        RUNNING.incrementAndGet();
    }

    /** Called by that thread when the command is over; clears a pending interrupt. */
    public void exit() {
        running = null;
        RUNNING.decrementAndGet();
        Thread.interrupted();
    }

    /** True while a REPL, script or {@code every} command runs: its own handlers take the signals. */
    public static boolean anyRunning() {
        return RUNNING.get() > 0;
    }

    /**
     * Requests cancellation of the running command (if any); safe to call from any thread. A dump or
     * restore in it ends cleanly at its next fault point ({@link dev.jcr.fault.Cancellation}).
     */
    public void cancel() {
        requested = true;
        dev.jcr.fault.Cancellation.request("interrupted");
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
    }

    public boolean requested() {
        return requested;
    }

    /** Forgets a request once the REPL has dealt with it (back at the prompt). */
    public void reset() {
        requested = false;
    }

    public boolean isRunning() {
        return running != null;
    }
}
