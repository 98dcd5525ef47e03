package dev.jcr;

/**
 * Root of every error jcr reports to a person. Each subclass names what went wrong and where
 * (a pid, a path, an image file and offset) so that a front end can print {@link #getMessage()} as
 * one line and choose an exit code from {@link #kind()} without parsing text.
 */
public abstract class JcrException extends RuntimeException {

    /** Broad classes of failure; front ends map each to a distinct exit code. */
    public enum Kind {
        /** The command line or an argument was wrong. */
        USAGE,
        /** The named process does not exist (or vanished while we looked). */
        NO_SUCH_PROCESS,
        /** The caller lacks the privilege (ptrace, /proc access, a capability). */
        PERMISSION,
        /** The target is already traced by someone else (a debugger). */
        TRACED,
        /** Something in the target cannot be checkpointed or restored; the message lists what. */
        UNSUPPORTED,
        /** An image file is missing, corrupt, truncated or inconsistent. */
        BAD_IMAGE,
        /** Reading or writing files failed (disk full, missing directory, I/O error). */
        IO,
        /** A resource jcr needs is taken (e.g. a PID that a restore must reuse). */
        CONFLICT,
        /** A bug or an unexpected kernel answer. */
        INTERNAL
    }

    protected JcrException(String message) {
        super(message);
    }

    protected JcrException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract Kind kind();
}
