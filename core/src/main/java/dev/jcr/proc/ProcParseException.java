package dev.jcr.proc;

/**
 * A /proc file did not have the shape proc(5) documents. Names the file, the 1-based line and what
 * did not match, so that a new kernel format can be diagnosed from the message alone.
 */
public final class ProcParseException extends ProcException {

    private final String path;
    private final int line;

    public ProcParseException(String path, int line, String what) {
        super("cannot parse " + path + (line > 0 ? " line " + line : "") + ": " + what);
        this.path = path;
        this.line = line;
    }

    public String path() {
        return path;
    }

    public int line() {
        return line;
    }

    @Override
    public Kind kind() {
        return Kind.INTERNAL;
    }
}
