package dev.jcr.ptrace;

/** struct itimerval of getitimer(WHICH): interval and time left, seconds and microseconds. */
public record ITimer(int which, long intervalSec, long intervalUsec, long valueSec, long valueUsec) {
    public static final int REAL = 0;
    public static final int VIRTUAL = 1;
    public static final int PROF = 2;

    public boolean armed() {
        return valueSec != 0 || valueUsec != 0;
    }
}
