package dev.jcr.app.top.model;

/**
 * One process as the main screen shows it, taken in one scan.
 *
 * @param rssKiB resident set size in KiB
 * @param state  the one-letter state of /proc/PID/stat (R, S, D, T, Z …)
 * @param reason why the verdict is what it is (the first blocker), empty when OK
 */
public record ProcessRow(long pid, long ppid, String user, char state, int threads, long rssKiB,
                         CrVerdict verdict, String reason, String comm, String command) {

    /** True when TEXT (case-insensitive) occurs in the pid, the user or the command line. */
    public boolean matches(String text) {
        if (text.isEmpty()) {
            return true;
        }
        String t = text.toLowerCase();
        return Long.toString(pid).equals(t) || command.toLowerCase().contains(t) || comm.toLowerCase().contains(t)
                || user.toLowerCase().equals(t);
    }
}
