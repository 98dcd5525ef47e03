package dev.jcr.proc;

/**
 * One thread of a process, from /proc/PID/task/TID/status.
 *
 * @param tid      thread id
 * @param comm     thread name
 * @param state    run state (null if unknown letter)
 * @param pending  signals pending for this thread only (SigPnd)
 * @param blocked  signals this thread blocks (SigBlk)
 */
public record ThreadInfo(long tid, String comm, ProcessState state, long pending, long blocked) {
}
