package dev.jcr.proc;

/**
 * The id names a thread, not a process: /proc/TID exists (hidden from the listing) but its thread
 * group is another process. Reading it as a process would describe that whole process under the
 * wrong id, so the caller is told which process to ask about instead.
 */
public final class NotAProcessException extends ProcException {

    private final long tid;
    private final long tgid;

    public NotAProcessException(long tid, long tgid) {
        super(tid + " is a thread of process " + tgid + ", not a process");
        this.tid = tid;
        this.tgid = tgid;
    }

    public long tid() {
        return tid;
    }

    public long processId() {
        return tgid;
    }

    @Override
    public Kind kind() {
        return Kind.USAGE;
    }
}
