package dev.jcr.fault;

/**
 * Thrown at an armed fault point ({@code JCR_FAULT=<point>:throw}). Deliberately not a
 * {@link dev.jcr.JcrException}: no code path may take it for an expected failure and carry on (a
 * fallback that catches JcrException would otherwise hide it); it travels to the top like a bug.
 */
public final class InjectedFault extends RuntimeException {

    private final transient Faults.Point point;

    public InjectedFault(Faults.Point point) {
        super("injected fault at " + point.name() + " (JCR_FAULT)");
        this.point = point;
    }

    public Faults.Point point() {
        return point;
    }
}
