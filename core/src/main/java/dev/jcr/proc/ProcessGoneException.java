package dev.jcr.proc;

/**
 * The process does not exist, or exited while we were reading it. Readers throw this instead of
 * returning empty text or zeros, so a half-read process never looks like a real one.
 */
public final class ProcessGoneException extends ProcException {

    private final long pid;

    public ProcessGoneException(long pid, String path) {
        super("no such process: " + pid + (path == null ? "" : " (" + path + " vanished)"));
        this.pid = pid;
    }

    public long pid() {
        return pid;
    }

    @Override
    public Kind kind() {
        return Kind.NO_SUCH_PROCESS;
    }
}
