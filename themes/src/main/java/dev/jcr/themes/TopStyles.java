package dev.jcr.themes;

import java.util.List;

/**
 * The vocabulary jcr-top's own components read from a theme. A theme declares these as custom styles and
 * glyphs of this class, e.g. {@code dev.jcr.themes.TopStyles.foreground[OK] = green} and
 * {@code dev.jcr.themes.TopStyles.char[GLYPH_OK] = ✓}. The class exists so the keys resolve to a real
 * class when a theme is parsed strictly, and so the list of names lives in one place: every bundled theme
 * must declare every one of them (checked by the catalog), so no component ever falls back to a colour or
 * glyph the theme's author did not choose.
 */
public final class TopStyles {

    private TopStyles() {
    }

    // Styles (foreground, background, sgr).
    public static final String HEADER = "HEADER";
    public static final String HEADER_VALUE = "HEADER_VALUE";
    public static final String COLUMNS = "COLUMNS";
    public static final String ROW = "ROW";
    public static final String ROW_SELECTED = "ROW_SELECTED";
    public static final String ROW_MATCH = "ROW_MATCH";
    public static final String TREE = "TREE";
    public static final String OK = "OK";
    public static final String NEEDS_OPTION = "NEEDS_OPTION";
    public static final String UNSUPPORTED = "UNSUPPORTED";
    public static final String UNKNOWN = "UNKNOWN";
    public static final String STATUS = "STATUS";
    public static final String STATUS_KEY = "STATUS_KEY";
    public static final String STATUS_ERROR = "STATUS_ERROR";
    public static final String STATUS_INFO = "STATUS_INFO";
    public static final String PANE = "PANE";
    public static final String PANE_TITLE = "PANE_TITLE";
    public static final String DIM = "DIM";
    public static final String PROGRESS = "PROGRESS";

    public static final List<String> STYLES = List.of(HEADER, HEADER_VALUE, COLUMNS, ROW, ROW_SELECTED,
            ROW_MATCH, TREE, OK, NEEDS_OPTION, UNSUPPORTED, UNKNOWN, STATUS, STATUS_KEY, STATUS_ERROR,
            STATUS_INFO, PANE, PANE_TITLE, DIM, PROGRESS);

    // Glyphs (char[...]).
    public static final String GLYPH_OK = "GLYPH_OK";
    public static final String GLYPH_NEEDS_OPTION = "GLYPH_NEEDS_OPTION";
    public static final String GLYPH_UNSUPPORTED = "GLYPH_UNSUPPORTED";
    public static final String GLYPH_UNKNOWN = "GLYPH_UNKNOWN";
    public static final String TREE_BRANCH = "TREE_BRANCH";
    public static final String TREE_LAST = "TREE_LAST";
    public static final String TREE_VERTICAL = "TREE_VERTICAL";
    public static final String TREE_HORIZONTAL = "TREE_HORIZONTAL";
    public static final String PROGRESS_FILLED = "PROGRESS_FILLED";
    public static final String PROGRESS_EMPTY = "PROGRESS_EMPTY";
    public static final String SORT_ASCENDING = "SORT_ASCENDING";
    public static final String SORT_DESCENDING = "SORT_DESCENDING";
    public static final String MARK = "MARK";
    public static final String SEPARATOR = "SEPARATOR";
    public static final String FOLD_OPEN = "FOLD_OPEN";
    public static final String FOLD_CLOSED = "FOLD_CLOSED";

    public static final List<String> GLYPHS = List.of(GLYPH_OK, GLYPH_NEEDS_OPTION, GLYPH_UNSUPPORTED,
            GLYPH_UNKNOWN, TREE_BRANCH, TREE_LAST, TREE_VERTICAL, TREE_HORIZONTAL, PROGRESS_FILLED,
            PROGRESS_EMPTY, SORT_ASCENDING, SORT_DESCENDING, MARK, SEPARATOR, FOLD_OPEN, FOLD_CLOSED);

    /** Prefix of every key of this vocabulary in a theme file. */
    public static final String PREFIX = TopStyles.class.getName() + ".";
}
