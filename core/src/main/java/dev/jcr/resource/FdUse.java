package dev.jcr.resource;

/** Where a restore puts a description: fd FD of process PID. */
public record FdUse(int pid, int fd) {

    /** A description held by no fd but a memory mapping of process PID (a memfd's). */
    public static FdUse mapping(int pid) {
        return new FdUse(pid, -1);
    }

    /** "process 42 fd 5" (or "process 42 mapping"), how messages name it. */
    @Override
    public String toString() {
        return "process " + pid + (fd < 0 ? " mapping" : " fd " + fd);
    }
}
