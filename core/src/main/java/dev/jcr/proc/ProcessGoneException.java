package dev.jcr.proc;

/**
 * The process does not exist, or exited while we were reading it. Readers throw this instead of
 * returning empty text or zeros, so a half-read process never looks like a real one.
 */
public final class ProcessGoneException extends ProcException {

    private final long pid;
    private final String path;

    /** PATH is the /proc file whose absence showed it (kept for diagnosis, not in the message). */
    public ProcessGoneException(long pid, String path) {
        super("no such process: " + pid);
        this.pid = pid;
        this.path = path;
    }

    public long pid() {
        return pid;
    }

    /** The /proc file that was missing, or null. */
    public String path() {
        return path;
    }

    @Override
    public Kind kind() {
        return Kind.NO_SUCH_PROCESS;
    }
}
