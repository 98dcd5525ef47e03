package dev.jcr.app.top.model;

import dev.jcr.themes.TopStyles;

/**
 * The C/R verdict as jcr-top shows it: the drivers' three answers, plus UNKNOWN when the analysis itself
 * could not run (the reason then says why) and PENDING while a new process waits for its analysis.
 */
public enum CrVerdict {
    OK("ok", TopStyles.OK, TopStyles.GLYPH_OK),
    NEEDS_OPTION("needs option", TopStyles.NEEDS_OPTION, TopStyles.GLYPH_NEEDS_OPTION),
    UNSUPPORTED("unsupported", TopStyles.UNSUPPORTED, TopStyles.GLYPH_UNSUPPORTED),
    UNKNOWN("unknown", TopStyles.UNKNOWN, TopStyles.GLYPH_UNKNOWN),
    /** Seen by the fast first pass of a refresh; the drivers' answer follows with the full pass. */
    PENDING("analysing", TopStyles.UNKNOWN, TopStyles.GLYPH_UNKNOWN);

    /** The word shown next to the glyph. */
    public final String word;
    /** The theme style (in {@link TopStyles}) used to draw it. */
    public final String style;
    /** The theme glyph (in {@link TopStyles}) drawn before the word. */
    public final String glyph;

    CrVerdict(String word, String style, String glyph) {
        this.word = word;
        this.style = style;
        this.glyph = glyph;
    }
}
