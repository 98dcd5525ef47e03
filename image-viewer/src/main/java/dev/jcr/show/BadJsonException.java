package dev.jcr.show;

import dev.jcr.JcrException;

/**
 * JSON handed to {@code encode} that does not describe a valid image: the message names the JSON
 * path (e.g. {@code entries[3].vmas[0].start}) and what was wrong with it.
 */
public final class BadJsonException extends JcrException {

    public BadJsonException(String where, String problem) {
        super(where + ": " + problem);
    }

    public BadJsonException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
    }

    @Override
    public Kind kind() {
        return Kind.BAD_IMAGE;
    }
}
