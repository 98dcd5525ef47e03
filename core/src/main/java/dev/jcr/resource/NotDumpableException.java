package dev.jcr.resource;

import dev.jcr.JcrException;

/**
 * A driver found, while dumping, that its resource cannot be written after all (it changed since the
 * assessment, or the driver has no dump for it). The dump is abandoned and the target left running.
 */
public final class NotDumpableException extends JcrException {

    private final int pid;
    private final String resource;

    public NotDumpableException(int pid, String resource, String reason) {
        super("process " + pid + ": " + resource + ": " + reason);
        this.pid = pid;
        this.resource = resource;
    }

    public int pid() {
        return pid;
    }

    public String resource() {
        return resource;
    }

    @Override
    public Kind kind() {
        return Kind.UNSUPPORTED;
    }
}
