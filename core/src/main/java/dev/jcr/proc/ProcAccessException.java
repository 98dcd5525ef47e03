package dev.jcr.proc;

/** jcr may not read a /proc file of another process (missing CAP_SYS_PTRACE or a different user). */
public final class ProcAccessException extends ProcException {

    private final long pid;
    private final String path;

    public ProcAccessException(long pid, String path) {
        super("permission denied reading " + path + " of process " + pid + " (run jcr as root)");
        this.pid = pid;
        this.path = path;
    }

    public long pid() {
        return pid;
    }

    public String path() {
        return path;
    }

    @Override
    public Kind kind() {
        return Kind.PERMISSION;
    }
}
