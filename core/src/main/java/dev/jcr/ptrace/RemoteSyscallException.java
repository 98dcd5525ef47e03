package dev.jcr.ptrace;

import dev.jcr.JcrException;
import dev.jcr.sys.Errno;

/** A syscall executed inside a traced task returned an error, e.g. {@code remote mmap in task 42 failed: ENOMEM}. */
public final class RemoteSyscallException extends JcrException {
    private final String syscall;
    private final int tid;
    private final int errno;

    public RemoteSyscallException(String syscall, int tid, int errno) {
        super("remote " + syscall + " in task " + tid + " failed: " + Errno.name(errno));
        this.syscall = syscall;
        this.tid = tid;
        this.errno = errno;
    }

    public String syscall() {
        return syscall;
    }

    public int tid() {
        return tid;
    }

    public int errno() {
        return errno;
    }

    @Override
    public Kind kind() {
        return Errno.kind(errno);
    }
}
