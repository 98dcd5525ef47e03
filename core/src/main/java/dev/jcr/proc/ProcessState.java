package dev.jcr.proc;

/** The one-letter state of a process or thread (proc(5), /proc/PID/stat field 3). */
public enum ProcessState {
    RUNNING('R'),
    SLEEPING('S'),
    DISK_SLEEP('D'),
    STOPPED('T'),
    TRACING_STOP('t'),
    ZOMBIE('Z'),
    DEAD('X'),
    IDLE('I'),
    PARKED('P'),
    WAKING('W'),
    WAKEKILL('K');

    private final char code;

    ProcessState(char code) {
        this.code = code;
    }

    public char code() {
        return code;
    }

    /** The state for CODE, or null when the kernel shows a letter this table does not know. */
    public static ProcessState ofCode(char code) {
        for (ProcessState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        // 'x' is the old spelling of DEAD
        return code == 'x' ? DEAD : null;
    }
}
