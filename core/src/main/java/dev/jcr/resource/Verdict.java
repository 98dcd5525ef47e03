package dev.jcr.resource;

/** Whether a resource (or a whole process) can be checkpointed by jcr as it is today. Ordered: best first. */
public enum Verdict {
    /** The dump and restore engines handle it. */
    SUPPORTED,
    /** It can be handled only when the user passes an option (named in the assessment). */
    NEEDS_OPTION,
    /** jcr cannot checkpoint it; the reason says why. */
    UNSUPPORTED;

    /** The worse of this and OTHER. */
    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
