package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.themes.TopStyles;

/** A dump's progress: the phase, then a bar of pages written out of the total, drawn with the theme's glyphs. */
public final class ProgressView extends AbstractComponent<ProgressView> {

    private String phase = "starting";
    private long written;
    private long total;

    public void setPhase(String p) {
        phase = p;
        invalidate();
    }

    public void setPages(long w, long t) {
        written = w;
        total = t;
        invalidate();
    }

    public String phase() {
        return phase;
    }

    @Override
    protected ComponentRenderer<ProgressView> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(ProgressView c) {
                return new TerminalSize(60, 2);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, ProgressView c) {
                Look look = new Look(c.getTheme());
                int w = g.getSize().getColumns();
                look.apply(g, TopStyles.PANE);
                g.fill(' ');
                look.put(g, 0, 0, "phase: " + c.phase, TopStyles.PANE, w);
                String count = c.total > 0 ? " " + c.written + "/" + c.total + " pages" : " pages: counting";
                int barWidth = Math.max(0, w - count.length());
                int filled = c.total > 0 ? (int) (barWidth * Math.min(c.written, c.total) / c.total) : 0;
                look.put(g, 0, 1, String.valueOf(look.glyph(TopStyles.PROGRESS_FILLED)).repeat(filled), TopStyles.PROGRESS, w);
                look.put(g, filled, 1, String.valueOf(look.glyph(TopStyles.PROGRESS_EMPTY)).repeat(barWidth - filled), TopStyles.DIM, w - filled);
                look.put(g, barWidth, 1, count, TopStyles.PANE, w - barWidth);
            }
        };
    }
}
