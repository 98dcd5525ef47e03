package dev.jcr.ptrace;

import dev.jcr.JcrException;

/** A task of the tree is already traced by another process (a debugger, strace, another jcr). */
public final class AlreadyTracedException extends JcrException {
    private final int pid;
    private final int tracerPid;

    public AlreadyTracedException(int pid, int tracerPid, String tracerComm) {
        super("process " + pid + " is already traced by process " + tracerPid + " (" + tracerComm
                + "); detach that tracer first");
        this.pid = pid;
        this.tracerPid = tracerPid;
    }

    public int pid() {
        return pid;
    }

    public int tracerPid() {
        return tracerPid;
    }

    @Override
    public Kind kind() {
        return Kind.TRACED;
    }
}
