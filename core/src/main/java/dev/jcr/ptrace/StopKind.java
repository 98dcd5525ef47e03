package dev.jcr.ptrace;

/** Which ptrace stop a traced task sits in; it decides how the task may be resumed or driven. */
public enum StopKind {
    /** PTRACE_INTERRUPT's stop (PTRACE_EVENT_STOP with SIGTRAP): the usual frozen state. */
    INTERRUPT,
    /** The task was already stopped by a stop signal (SIGSTOP, SIGTSTP …) and stays so after detach. */
    GROUP_STOP,
    /** A syscall-exit stop left by remote execution (only while a RemoteSyscalls session is open). */
    SYSCALL,
    /** A new child's first stop after a traced clone/fork. */
    NEW_CHILD
}
