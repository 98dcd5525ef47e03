package dev.jcr.resource;

/**
 * Remote syscalls inside one restored process, stopped and traced, whose fds are all in place with
 * their dumped numbers ({@link FileDriver#settle}). Arguments that are pointers point into the
 * process: {@link #put} copies bytes there first.
 */
public interface InProcess {

    /** The process. */
    int pid();

    /** Syscall NR with ARGS in the process; a failure throws naming WHAT and the process. */
    long call(String what, int nr, long... args);

    /** Copies DATA into a scratch area of the process (valid until the next put) and returns its address. */
    long put(byte[] data);
}
