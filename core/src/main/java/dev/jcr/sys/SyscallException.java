package dev.jcr.sys;

import dev.jcr.JcrException;

/**
 * A system call failed: names the call, the process or thread it was about (pid/tid, 0 when none)
 * and the errno, e.g. {@code ptrace(PTRACE_SEIZE) on pid 4242 failed: EPERM}.
 */
public class SyscallException extends JcrException {

    private final String syscall;
    private final long pid;
    private final int errno;

    public SyscallException(String syscall, long pid, int errno) {
        super(syscall + (pid > 0 ? " on pid " + pid : "") + " failed: " + Errno.name(errno));
        this.syscall = syscall;
        this.pid = pid;
        this.errno = errno;
    }

    /** The call, with its request where one call does many things, e.g. "ptrace(PTRACE_GETREGS)". */
    public String syscall() {
        return syscall;
    }

    /** The pid or tid the call was about; 0 when the call concerns no process. */
    public long pid() {
        return pid;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    /** True when the process or thread the call was about no longer exists (ESRCH). */
    public boolean isGone() {
        return errno == Errno.ESRCH;
    }

    @Override
    public Kind kind() {
        return Errno.kind(errno);
    }
}
