package dev.jcr.app.top.model;

import dev.jcr.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** The {@code :} command line: splits like a shell (quotes, backslash) and runs it through {@link Main#execute}. */
public final class CommandRunner {

    /** What a command printed and its exit code. */
    public record Outcome(String line, int exitCode, String out, String err) {
    }

    public Outcome run(String line) {
        List<String> args = split(line);
        if (!args.isEmpty() && args.get(0).equals("jcr")) {
            args.remove(0);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = Main.execute(args.toArray(String[]::new), o, e);
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
