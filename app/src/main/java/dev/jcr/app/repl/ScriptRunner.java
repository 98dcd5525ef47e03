package dev.jcr.app.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Runs a script — a file, or standard input when it is not a terminal — line by line through a
 * {@link Session}. A line ending in a backslash continues on the next. By default a failed line is
 * reported and the script goes on; with fail-fast it stops there. Either way the script's status
 * is the first failure's (or what {@code exit N} says). Everything a command prints on stderr, and
 * every failure, is prefixed with {@code SCRIPT:LINE: }.
 */
public final class ScriptRunner {

    private final Session session;
    private final String name;
    private final boolean failFast;

    public ScriptRunner(Session session, String name, boolean failFast) {
        this.session = session;
        this.name = name;
        this.failFast = failFast;
    }

    public int run(BufferedReader in) throws IOException {
        PrintWriter err = session.err();
        int lineNo = 0;
        int firstFailure = 0;
        int firstFailureLine = 0;
        int failures = 0;
        String physical;
        try {
            while ((physical = in.readLine()) != null) {
                lineNo++;
                int startLine = lineNo;
                StringBuilder line = new StringBuilder(physical);
                while (endsWithContinuation(line) && (physical = in.readLine()) != null) {
                    lineNo++;
                    line.setLength(line.length() - 1);
                    line.append(' ').append(physical);
                }
                String text = line.toString();
                session.errorPrefix(name + ":" + startLine + ": ");
                Integer status = session.executeLine(text);
                if (session.exitRequested()) {
                    return session.exitStatus();
                }
                if (session.cancellation().requested()) {
                    err.println("cancelled (Ctrl-C); the script stops here");
                    return Session.CANCELLED;
                }
                if (status == null || status == 0) {
                    continue;
                }
                failures++;
                if (firstFailure == 0) {
                    firstFailure = status;
                    firstFailureLine = startLine;
                }
                if (failFast) {
                    err.println("'" + text.trim() + "' failed with exit " + status + "; stopping (--fail-fast)");
                    return status;
                }
                err.println("'" + text.trim() + "' failed with exit " + status + "; continuing");
            }
        } finally {
            session.errorPrefix(null);
        }
        if (failures > 0) {
            err.println(name + ": " + failures + " line" + (failures == 1 ? "" : "s") + " failed; the first at line "
                    + firstFailureLine + " (exit " + firstFailure + ")");
        }
        return firstFailure;
    }

    /** True when the line ends in an odd number of backslashes (an escaped backslash does not continue). */
    private static boolean endsWithContinuation(CharSequence line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }
}
