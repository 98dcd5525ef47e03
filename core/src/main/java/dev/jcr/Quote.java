package dev.jcr;

/**
 * How text that came from outside jcr (a file name, a command name, a socket name read from an image
 * or from /proc) is put in front of a person: never raw. A newline in a file name would split a
 * one-line error in two, and an ANSI escape in it would repaint the terminal. Every message that
 * quotes such text uses {@link #of}; lines and table cells that may hold it go through {@link #controls}.
 */
public final class Quote {

    private Quote() {
    }

    /**
     * {@code "TEXT"}, escaped so that it reads back unambiguously: backslash and double quote are
     * escaped, {@code \n \r \t} named, other control characters as {@code \xHH} (C0, DEL) or
     * {@code \}{@code uHHHH} (C1 and the bidirectional overrides that reorder what a terminal shows).
     */
    public static String of(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                s.append('\\').append(c);
            } else {
                escape(s, c);
            }
        }
        return s.append('"').toString();
    }

    /** TEXT with only its control characters escaped (as {@link #of} does), for a whole line or a cell. */
    public static String controls(String text) {
        if (text == null) {
            return "";
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder s = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            escape(s, text.charAt(i));
        }
        return s.toString();
    }

    private static void escape(StringBuilder s, char c) {
        if (!isControl(c)) {
            s.append(c);
            return;
        }
        switch (c) {
            case '\n' -> s.append("\\n");
            case '\r' -> s.append("\\r");
            case '\t' -> s.append("\\t");
            default -> s.append(c < 0x80 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
        }
    }

    /** C0, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). */
    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
