package dev.jcr.themes;

/**
 * A theme could not be found or parsed. The message names the theme (bundled name or file path) and,
 * for a parse error, the key that was wrong, so a front end can print it as one line.
 */
public final class ThemeException extends RuntimeException {

    public ThemeException(String message) {
        super(message);
    }

    public ThemeException(String message, Throwable cause) {
        super(message, cause);
    }
}
