package dev.jcr.proc;

/** Parses /proc/PID/stat (one line; see proc(5) for the field numbers used below). */
public final class StatParser {

    /** The fields of /proc/PID/stat that jcr uses. */
    public record Stat(long pid, String comm, char state, long ppid, long pgid, long sid, int ttyNr, long flags,
            int threads, long startTimeTicks, long vszBytes, long rssPages) {

        /** PF_KTHREAD in the per-process flags. */
        public boolean kernelThreadFlag() {
            return (flags & 0x00200000L) != 0;
        }
    }

    private StatParser() {
    }

    /**
     * Parses TEXT read from PATH. The command name is everything between the first '(' and the LAST
     * ')', because a comm may itself contain ')' and spaces.
     */
    public static Stat parse(String path, String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new ProcParseException(path, 1, "no '(comm)' in '" + abbreviate(text) + "'");
        }
        long pid = number(path, text.substring(0, open).trim(), "pid");
        String comm = text.substring(open + 1, close);
        String[] f = text.substring(close + 1).trim().split(" ");
        if (f.length < 22) {
            throw new ProcParseException(path, 1, "expected at least 24 fields, found " + (f.length + 2));
        }
        if (f[0].length() != 1) {
            throw new ProcParseException(path, 1, "state field '" + f[0] + "' is not one letter");
        }
        return new Stat(pid, comm, f[0].charAt(0),
                number(path, f[1], "ppid"), number(path, f[2], "pgrp"), number(path, f[3], "session"),
                (int) number(path, f[4], "tty_nr"), number(path, f[6], "flags"),
                (int) number(path, f[17], "num_threads"), number(path, f[19], "starttime"),
                unsigned(path, f[20], "vsize"), number(path, f[21], "rss"));
    }

    private static long number(String path, String s, String field) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, 1, "field " + field + " is '" + s + "', not a number");
        }
    }

    private static long unsigned(String path, String s, String field) {
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, 1, "field " + field + " is '" + s + "', not a number");
        }
    }

    static String abbreviate(String s) {
        String line = s.strip();
        return line.length() > 60 ? line.substring(0, 60) + "…" : line;
    }
}
