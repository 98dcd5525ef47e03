package dev.jcr.app;

import dev.jcr.JcrException;

/** Exit codes of every jcr command; documented in README.md ("Exit codes"). */
public enum ExitCode {
    OK(0),
    /** The command worked and its answer is "no" (not checkpointable, images differ). */
    NEGATIVE(1),
    USAGE(2),
    NO_SUCH_PROCESS(3),
    PERMISSION(4),
    TRACED(5),
    UNSUPPORTED(6),
    BAD_IMAGE(7),
    IO(8),
    CONFLICT(9),
    INTERNAL(70),
    /** Ended early on request (Ctrl-C, SIGTERM, SIGHUP), cleanly: nothing harmed, nothing half-written. */
    CANCELLED(130);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public static ExitCode of(JcrException.Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case NO_SUCH_PROCESS -> NO_SUCH_PROCESS;
            case PERMISSION -> PERMISSION;
            case TRACED -> TRACED;
            case UNSUPPORTED -> UNSUPPORTED;
            case BAD_IMAGE -> BAD_IMAGE;
            case IO -> IO;
            case CONFLICT -> CONFLICT;
            case INTERNAL -> INTERNAL;
        };
    }
}
