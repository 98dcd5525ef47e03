package dev.jcr.show;

/**
 * ANSI colours for terminal output, or none. {@code --color=auto} colours only when standard
 * output is a terminal, so pipes and files always get plain text.
 */
public final class Colors {

    public enum Mode { auto, always, never }

    private static final String RESET = "\u001b[0m";
    private final boolean on;

    private Colors(boolean on) {
        this.on = on;
    }

    public static final Colors NONE = new Colors(false);

    public static Colors of(Mode mode, boolean stdoutIsTerminal) {
        return switch (mode) {
            case always -> new Colors(true);
            case never -> NONE;
            case auto -> new Colors(stdoutIsTerminal && !"dumb".equals(System.getenv("TERM")));
        };
    }

    /** Whether standard output is an interactive terminal (no redirection). */
    public static boolean stdoutIsTerminal() {
        // System.console() is non-null only when both stdin and stdout are terminals: good enough
        // for "a person is looking"; with a pipe on either side we print plain text.
        return System.console() != null;
    }

    public boolean enabled() {
        return on;
    }

    public String key(String s) {
        return paint("36", s);
    }

    public String string(String s) {
        return paint("32", s);
    }

    public String number(String s) {
        return paint("33", s);
    }

    public String literal(String s) {
        return paint("35", s);
    }

    public String label(String s) {
        return paint("1", s);
    }

    public String error(String s) {
        return paint("31", s);
    }

    private String paint(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + RESET : s;
    }
}
