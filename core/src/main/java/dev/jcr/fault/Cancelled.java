package dev.jcr.fault;

/**
 * The running dump or restore was asked to end ({@link Cancellation}) and has ended cleanly. Like
 * {@link InjectedFault} deliberately not a {@link dev.jcr.JcrException}: no fallback may swallow it
 * and carry on; front ends exit with 130.
 */
public final class Cancelled extends RuntimeException {

    private final String why;

    public Cancelled(String why) {
        super("cancelled (" + why + ")");
        this.why = why;
    }

    private Cancelled(String why, String outcome) {
        super("cancelled (" + why + "): " + outcome);
        this.why = why;
    }

    /** The same cancellation, saying what state it left things in (e.g. "the tree runs on unharmed"). */
    public Cancelled withOutcome(String outcome) {
        return new Cancelled(why, outcome);
    }
}
