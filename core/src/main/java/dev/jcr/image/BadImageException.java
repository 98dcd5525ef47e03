package dev.jcr.image;

import dev.jcr.JcrException;

/**
 * An image file that is corrupt, truncated, of an unknown kind or inconsistent with its siblings.
 * The message names the file, the byte offset where reading went wrong and what was wrong, so a
 * person can look at the right place with a hex dump.
 */
public final class BadImageException extends JcrException {

    private final String file;
    private final long offset;
    private final String problem;

    public BadImageException(String file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public BadImageException(String file, long offset, String problem, Throwable cause) {
        super(file + (offset >= 0 ? " at offset " + offset : "") + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
        this.problem = problem;
    }

    /** The file (as given by the caller) that is bad. */
    public String file() {
        return file;
    }

    /** Byte offset in the file where the problem was found, or -1 when it concerns the whole file. */
    public long offset() {
        return offset;
    }

    /** What was wrong, without the file and offset. */
    public String problem() {
        return problem;
    }

    @Override
    public Kind kind() {
        return Kind.BAD_IMAGE;
    }
}
