package dev.jcr.restore;

import dev.jcr.JcrException;

/**
 * A restore that cannot be done or failed part way. The message names the process, the image or
 * the resource that was wrong; {@link #kind()} tells front ends which exit code to use (CONFLICT for
 * a taken PID, UNSUPPORTED for state jcr cannot recreate, BAD_IMAGE for inconsistent images …).
 */
public final class RestoreException extends JcrException {

    private final Kind kind;

    public RestoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RestoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }
}
