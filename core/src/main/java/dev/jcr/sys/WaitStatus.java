package dev.jcr.sys;

/**
 * What waitpid(2) reported for one task, decoded from the raw status word (see wait(2) and the
 * "ptrace stops" section of ptrace(2)).
 */
public record WaitStatus(int pid, int raw) {

    public static final int SIGTRAP = 5;
    /** Event number the kernel puts in bits 16..23 for interrupt stops and group stops of seized tasks. */
    public static final int PTRACE_EVENT_STOP = 128;

    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        return ((raw & 0x7f) + 1) >> 1 > 0 && !stopped() && !exited();
    }

    public int termSignal() {
        return raw & 0x7f;
    }

    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    /** The signal of a stop; SIGTRAP|0x80 for syscall stops when PTRACE_O_TRACESYSGOOD is set. */
    public int stopSignal() {
        return (raw >> 8) & 0xff;
    }

    /** The PTRACE_EVENT_* of an event stop, 0 for a plain signal-delivery or syscall stop. */
    public int event() {
        return (raw >> 16) & 0xff;
    }

    /** True for a syscall-enter or syscall-exit stop (needs PTRACE_O_TRACESYSGOOD). */
    public boolean syscallStop() {
        return stopped() && stopSignal() == (SIGTRAP | 0x80);
    }

    /** True for PTRACE_EVENT_STOP: an interrupt stop (SIGTRAP) or a group stop (a stop signal). */
    public boolean eventStop() {
        return stopped() && event() == PTRACE_EVENT_STOP;
    }

    /** True when the task went away (exited or killed), so no more stops will come from it. */
    public boolean gone() {
        return exited() || signaled();
    }

    @Override
    public String toString() {
        if (exited()) {
            return "pid " + pid + " exited " + exitCode();
        }
        if (stopped()) {
            return "pid " + pid + " stopped sig " + stopSignal() + " event " + event();
        }
        return "pid " + pid + " killed by signal " + termSignal();
    }
}
