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

    private volatile Thread running;
    private volatile boolean requested;

    /** Called by the thread that is about to run a command. */
    public void enter() {
        running = Thread.currentThread();
    }

    /** Called by that thread when the command is over; clears a pending interrupt. */
    public void exit() {
        running = null;
        Thread.interrupted();
    }

    /** Requests cancellation of the running command (if any); safe to call from any thread. */
    public void cancel() {
        requested = true;
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
