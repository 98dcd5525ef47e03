package dev.jcr.resource;

/** Where a restore puts a description: fd FD of process PID. */
public record FdUse(int pid, int fd) {

    /** "process 42 fd 5", how messages name it. */
    @Override
    public String toString() {
        return "process " + pid + " fd " + fd;
    }
}
