package dev.jcr.proc;

import java.util.Optional;

/**
 * Who holds a pid now, in words: what a restore that needs the pid, or a dump --kill that waits for
 * it to come free, tells the user. A zombie is named with the parent that has not reaped it, since
 * that parent is the one to act (or to wait for).
 */
public final class PidHolder {

    private PidHolder() {
    }

    /**
     * "zombie of 1234, not yet reaped by its parent 1200 (bash)", "process 1234 (loop)" or
     * "a thread of 1234 (java)"; empty when PID is free.
     */
    public static Optional<String> of(ProcFs fs, long pid) {
        StatParser.Stat stat;
        long tgid;
        try {
            String text = fs.read(pid, fs.dir(pid).resolve("stat"));
            stat = StatParser.parse(fs.dir(pid).resolve("stat").toString(), text);
            tgid = tgid(fs, pid);
        } catch (ProcException e) {
            return fs.exists(pid) ? Optional.of("pid " + pid + " (unreadable)") : Optional.empty();
        }
        if (tgid != pid && tgid > 0) {
            return Optional.of("a thread of " + tgid + " (" + comm(fs, tgid) + ")");
        }
        char state = stat.state();
        if (state == 'Z' || state == 'X') {
            return Optional.of("zombie of " + pid + ", not yet reaped by its parent "
                    + stat.ppid() + " (" + comm(fs, stat.ppid()) + ")");
        }
        return Optional.of("process " + pid + " (" + stat.comm() + ")");
    }

    /** True while PID is a zombie (exited, not reaped) or dead. */
    public static boolean zombie(ProcFs fs, long pid) {
        try {
            char state = StatParser.parse("stat", fs.read(pid, fs.dir(pid).resolve("stat"))).state();
            return state == 'Z' || state == 'X';
        } catch (ProcException e) {
            return false;
        }
    }

    private static long tgid(ProcFs fs, long pid) {
        for (String line : fs.read(pid, fs.dir(pid).resolve("status")).split("\n")) {
            if (line.startsWith("Tgid:")) {
                return Long.parseLong(line.substring(5).trim());
            }
        }
        return pid;
    }

    private static String comm(ProcFs fs, long pid) {
        try {
            return fs.read(pid, fs.dir(pid).resolve("comm")).strip();
        } catch (ProcException e) {
            return "?";
        }
    }
}
