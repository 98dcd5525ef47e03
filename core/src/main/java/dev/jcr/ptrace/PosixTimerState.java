package dev.jcr.ptrace;

/** A POSIX timer's struct itimerspec (interval, time left; seconds and nanoseconds) and its overrun count. */
public record PosixTimerState(int id, long intervalSec, long intervalNsec, long valueSec, long valueNsec,
        int overrun) {
}
