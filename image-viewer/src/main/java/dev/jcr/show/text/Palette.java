package dev.jcr.show.text;

import dev.jcr.show.Colors;

/**
 * Colours by meaning (heading, added, removed, changed, warning, dim) for the explorer, summary and
 * diff; off unless {@code --color} says so (the same option and rule as decode: only on a terminal
 * by default).
 */
public final class Palette {

    public enum Role { PLAIN, HEADING, TITLE, ADDED, REMOVED, CHANGED, WARN, DIM, NUMBER }

    public static final Palette NONE = new Palette(false);
    public static final Palette ANSI = new Palette(true);

    private final boolean on;

    private Palette(boolean on) {
        this.on = on;
    }

    public static Palette of(Colors colors) {
        return colors.enabled() ? ANSI : NONE;
    }

    public boolean enabled() {
        return on;
    }

    public String paint(Role role, String s) {
        if (!on || s.isEmpty()) {
            return s;
        }
        String code = switch (role) {
            case PLAIN -> null;
            case HEADING -> "1";
            case TITLE -> "1;36";
            case ADDED -> "32";
            case REMOVED -> "31";
            case CHANGED -> "33";
            case WARN -> "1;31";
            case DIM -> "2";
            case NUMBER -> "36";
        };
        return code == null ? s : "\u001b[" + code + "m" + s + "\u001b[0m";
    }

    public String heading(String s) {
        return paint(Role.HEADING, s);
    }

    public String title(String s) {
        return paint(Role.TITLE, s);
    }
}
