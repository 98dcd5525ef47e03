package dev.jcr.proc;

/** jcr may not read a /proc file of another process (missing CAP_SYS_PTRACE or a different user). */
public final class ProcAccessException extends ProcException {

    private final long pid;
    private final String path;
    private final String why;

    public ProcAccessException(long pid, String path) {
        this(pid, path, "run jcr as root");
    }

    /** WHY says what stands in the way, e.g. "run jcr as root" or which privilege the process has beyond jcr's. */
    public ProcAccessException(long pid, String path, String why) {
        super("permission denied reading " + path + " of process " + pid + " (" + why + ")");
        this.pid = pid;
        this.path = path;
        this.why = why;
    }

    public long pid() {
        return pid;
    }

    public String path() {
        return path;
    }

    /** What stands in the way, e.g. "run jcr as root". */
    public String why() {
        return why;
    }

    @Override
    public Kind kind() {
        return Kind.PERMISSION;
    }
}
