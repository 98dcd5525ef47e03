package dev.jcr.ptrace;

import dev.jcr.JcrException;

/** The kernel answered in a way ptrace handling did not expect (an unexpected stop, a task that would not stop). */
public final class TraceException extends JcrException {
    private final int tid;

    public TraceException(int tid, String message) {
        super("task " + tid + ": " + message);
        this.tid = tid;
    }

    public int tid() {
        return tid;
    }

    @Override
    public Kind kind() {
        return Kind.INTERNAL;
    }
}
