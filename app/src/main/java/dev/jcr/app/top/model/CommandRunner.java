package dev.jcr.app.top.model;

import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import dev.jcr.app.repl.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code :} command line: the REPL's commands (a {@code jcr repl} session kept for the whole run, so
 * {@code set}/{@code echo}/{@code help}, variables such as {@code $last_dump} and {@code $?} work as in the
 * REPL), each line's output captured for the panel. A line starting with an option ({@code --help},
 * {@code --version}) goes to the umbrella command as on the shell. Commands that only end with Ctrl-C
 * ({@code every}) are refused: jcr-top has no way to send it.
 */
public final class CommandRunner {

    /** What a command printed and its exit code. */
    public record Outcome(String line, int exitCode, String out, String err) {
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Session session = Session.standard(new PrintWriter(out, true), err);

    /** Runs LINE; one at a time (the session and its captured output are shared). */
    public synchronized Outcome run(String line) {
        List<String> args = split(line);
        if (!args.isEmpty() && args.get(0).equals("jcr")) {
            args.remove(0);
        }
        if (!args.isEmpty() && args.get(0).equals("every")) {
            return new Outcome(line, ExitCode.USAGE.code, "",
                    "every: repeats until Ctrl-C, which jcr-top cannot send here; use it in jcr repl\n");
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        int code;
        if (!args.isEmpty() && args.get(0).startsWith("-")) {
            try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
                code = Main.execute(args.toArray(String[]::new), o, e);
            }
        } else {
            Integer status = session.executeLine(line);
            code = status == null ? 0 : status;
        }
        return new Outcome(line, code, out.toString(), err.toString());
    }

    /** Shell-like word splitting: single and double quotes, backslash escapes. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
