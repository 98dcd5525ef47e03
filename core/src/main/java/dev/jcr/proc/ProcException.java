package dev.jcr.proc;

import dev.jcr.JcrException;

/** Base of the errors raised while reading /proc; each names the path it was reading. */
public abstract class ProcException extends JcrException {

    protected ProcException(String message) {
        super(message);
    }

    protected ProcException(String message, Throwable cause) {
        super(message, cause);
    }
}
