package dev.jcr.app.top.model;

/**
 * One row of the main screen, taken in one scan: a process, a kernel thread, or (when threads are shown)
 * one userland thread of a process.
 *
 * @param pid    process id; a thread row's thread id
 * @param ppid   parent's pid; a thread row's process
 * @param rssKiB resident set size in KiB (a thread row: its process's)
 * @param state  the one-letter state of /proc/PID/stat (R, S, D, T, Z …)
 * @param reason why the verdict is what it is (the first blocker), empty when OK
 * @param kind   what the row is
 */
public record ProcessRow(long pid, long ppid, String user, char state, int threads, long rssKiB,
                         CrVerdict verdict, String reason, String comm, String command, Kind kind) {

    /** What a row stands for; jcr-top hides kernel threads and userland threads unless asked (K, H). */
    public enum Kind { PROCESS, KERNEL_THREAD, THREAD }

    /** A process row. */
    public ProcessRow(long pid, long ppid, String user, char state, int threads, long rssKiB,
                      CrVerdict verdict, String reason, String comm, String command) {
        this(pid, ppid, user, state, threads, rssKiB, verdict, reason, comm, command, Kind.PROCESS);
    }

    /** True when TEXT (case-insensitive) occurs in the pid, the user or the command line. */
    public boolean matches(String text) {
        if (text.isEmpty()) {
            return true;
        }
        String t = text.toLowerCase();
        return Long.toString(pid).equals(t) || command.toLowerCase().contains(t) || comm.toLowerCase().contains(t)
                || user.toLowerCase().equals(t);
    }

    /** A process (kernel threads included), not one thread of a process. */
    public boolean isProcess() {
        return kind != Kind.THREAD;
    }
}
