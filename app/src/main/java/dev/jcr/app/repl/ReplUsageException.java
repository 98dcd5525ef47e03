package dev.jcr.app.repl;

import dev.jcr.JcrException;

/**
 * A line of a script or of the REPL that cannot be run as written: an unterminated quote, an
 * undefined variable, a bad interval. The message names what was wrong; the script runner adds the
 * script's name and line.
 */
public final class ReplUsageException extends JcrException {

    public ReplUsageException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.USAGE;
    }
}
