package dev.jcr.app.repl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one REPL or script line into words, the way a person used to a POSIX shell expects:
 * blanks separate words; {@code '…'} keeps everything literally; {@code "…"} keeps blanks but
 * expands variables; a backslash escapes the next character; a {@code #} that starts a word starts
 * a comment. Variables ({@code $name}, {@code ${name}}, {@code $?}, {@code $#}, {@code $1}) are
 * expanded from {@link Variables}; a value is never split again into several words, so a directory
 * with a blank in its name stays one argument.
 *
 * <p>Placeholders of {@code every} such as {@code {n}} are not variables and pass through.
 */
public final class LineSplitter {

    private LineSplitter() {
    }

    public static List<String> split(String line, Variables vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new ReplUsageException("unterminated ' quote at column " + (i + 1));
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word, vars);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new ReplUsageException("the line ends with a lone \\");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '$') {
                i = variable(line, i, word, vars);
                inWord = true;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the body of the double-quoted string starting at OPEN; returns the index after it. */
    private static int doubleQuoted(String line, int open, StringBuilder word, Variables vars) {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '$') {
                i = variable(line, i, word, vars);
            } else {
                word.append(c);
                i++;
            }
        }
        throw new ReplUsageException("unterminated \" quote at column " + (open + 1));
    }

    /** Expands the variable reference at DOLLAR into WORD; returns the index after it. */
    private static int variable(String line, int dollar, StringBuilder word, Variables vars) {
        int i = dollar + 1;
        if (i >= line.length()) {
            word.append('$');
            return i;
        }
        char c = line.charAt(i);
        if (c == '{') {
            int end = line.indexOf('}', i);
            if (end < 0) {
                throw new ReplUsageException("unterminated ${ at column " + (dollar + 1));
            }
            String name = line.substring(i + 1, end);
            if (!Variables.NAME.matcher(name).matches() && !name.matches("\\d+|\\?|#")) {
                throw new ReplUsageException("bad variable name '${" + name + "}'");
            }
            word.append(vars.require(name));
            return end + 1;
        }
        if (c == '?' || c == '#' || Character.isDigit(c)) {
            word.append(vars.require(String.valueOf(c)));
            return i + 1;
        }
        int end = i;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')
                && line.charAt(end) < 128) {
            end++;
        }
        if (end == i) {
            // "$" not followed by a name ("cost: 5$", "$ ") stays a dollar sign
            word.append('$');
            return i;
        }
        word.append(vars.require(line.substring(i, end)));
        return end;
    }
}
