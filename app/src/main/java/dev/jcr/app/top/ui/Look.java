package dev.jcr.app.top.ui;

import com.googlecode.lanterna.graphics.Theme;
import com.googlecode.lanterna.graphics.ThemeDefinition;
import com.googlecode.lanterna.graphics.ThemeStyle;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.themes.TopStyles;

/**
 * jcr-top's styles and glyphs as declared by the current theme (see {@link TopStyles}). Components never
 * name a colour or a glyph themselves: they ask this.
 */
public final class Look {

    private final ThemeDefinition def;

    public Look(Theme theme) {
        this.def = theme.getDefinition(TopStyles.class);
    }

    public ThemeStyle style(String name) {
        return def.getCustom(name);
    }

    /** The glyph NAME; every bundled theme declares all of them, '?' only covers a broken user theme. */
    public char glyph(String name) {
        return def.getCharacter(name, '?');
    }

    public void apply(TextGUIGraphics g, String style) {
        g.applyThemeStyle(style(style));
    }

    /**
     * Writes TEXT at (col,row) in STYLE, clipped to WIDTH cells; returns the column after it. Control
     * characters (a newline or escape in a name read from an image or /proc) are shown escaped.
     */
    public int put(TextGUIGraphics g, int col, int row, String text, String style, int width) {
        if (width <= 0) {
            return col;
        }
        apply(g, style);
        String safe = dev.jcr.Quote.controls(text);
        String t = safe.length() > width ? safe.substring(0, width) : safe;
        g.putString(col, row, t);
        return col + t.length();
    }
}
