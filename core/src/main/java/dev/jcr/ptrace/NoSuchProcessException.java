package dev.jcr.ptrace;

import dev.jcr.JcrException;

/** The process to trace does not exist (or vanished before it could be frozen). */
public final class NoSuchProcessException extends JcrException {
    private final int pid;

    public NoSuchProcessException(int pid) {
        super("no such process: " + pid);
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public Kind kind() {
        return Kind.NO_SUCH_PROCESS;
    }
}
