package dev.jcr.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses /proc/PID/limits (a header line, then "Name  soft  hard  [units]" columns). */
public final class LimitsParser {

    // names contain single spaces; columns are separated by two or more
    private static final Pattern LINE = Pattern.compile("^(\\S+(?: \\S+)*)\\s{2,}(\\S+)\\s+(\\S+)(?:\\s+(\\S+))?\\s*$");

    private LimitsParser() {
    }

    public static List<Rlimit> parse(String path, String text) {
        List<Rlimit> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(lines[i]);
            if (!m.matches()) {
                throw new ProcParseException(path, i + 1, "not 'Name soft hard [units]': '" + lines[i] + "'");
            }
            out.add(new Rlimit(m.group(1), value(path, i + 1, m.group(2)), value(path, i + 1, m.group(3)),
                    m.group(4) == null ? "" : m.group(4)));
        }
        return out;
    }

    private static long value(String path, int line, String v) {
        if (v.equals("unlimited")) {
            return Rlimit.INFINITY;
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, line, "limit '" + v + "' is neither a number nor 'unlimited'");
        }
    }
}
