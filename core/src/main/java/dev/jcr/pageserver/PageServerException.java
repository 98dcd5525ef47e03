package dev.jcr.pageserver;

import dev.jcr.JcrException;

/** What the other end of a page-server stream refused or failed at, with the kind it gave (or I/O when the stream broke). */
public final class PageServerException extends JcrException {

    private final Kind kind;

    public PageServerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PageServerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    @Override
    public Kind kind() {
        return kind;
    }
}
