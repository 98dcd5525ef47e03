package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUI;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.app.top.model.ProcessDetails;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.app.top.ui.TextView.Span;
import dev.jcr.themes.TopStyles;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The details side pane (p): the selected process's resources with their verdicts, beside the list. It
 * takes room only when switched on and the terminal is at least {@link #MIN_COLUMNS} wide (a narrower
 * one keeps the whole width for the list; Enter still opens the details); its layout width follows
 * resizes. The lines are the details screen's own ({@code LINES}), laid out for the pane's width; what
 * does not fit is cut with a note pointing at Enter.
 */
public final class DetailsPane extends AbstractComponent<DetailsPane> {

    /** Below this terminal width the pane is not shown: the list's columns need about 100. */
    public static final int MIN_COLUMNS = 150;

    private final BiFunction<ProcessDetails, Integer, List<Line>> lines;
    private boolean wanted;
    private ProcessDetails details;
    private long pid = -1;
    private String note = "";

    /** LINES lays out a process's details for a width (the details screen's layout). */
    public DetailsPane(BiFunction<ProcessDetails, Integer, List<Line>> lines) {
        this.lines = lines;
    }

    public void toggle() {
        wanted = !wanted;
        invalidate();
    }

    public boolean wanted() {
        return wanted;
    }

    /** Switched on and the terminal wide enough. */
    public boolean shown() {
        TextGUI gui = getTextGUI();
        return wanted && gui != null && gui.getScreen().getTerminalSize().getColumns() >= MIN_COLUMNS;
    }

    /** The pid whose details are shown (or being read), -1 for none. */
    public long pid() {
        return pid;
    }

    public ProcessDetails details() {
        return details;
    }

    /** Shows that PID is being read (its old details stay until the new ones arrive). */
    public void loading(long p) {
        if (p == pid && details != null) {
            return; // re-reading after a refresh: keep showing the details until the fresh ones arrive
        }
        details = null;
        pid = p;
        note = p < 0 ? "no process selected" : "analysing " + p + " …";
        invalidate();
    }

    public void show(ProcessDetails d) {
        details = d;
        pid = d.pid();
        note = "";
        invalidate();
    }

    /** PID could not be analysed: WHY instead of its details. */
    public void failed(long p, String why) {
        details = null;
        pid = p;
        note = why;
        invalidate();
    }

    @Override
    protected ComponentRenderer<DetailsPane> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(DetailsPane c) {
                if (!c.shown()) {
                    return TerminalSize.ZERO;
                }
                int cols = c.getTextGUI().getScreen().getTerminalSize().getColumns();
                return new TerminalSize(Math.max(40, cols * 2 / 5), 1);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, DetailsPane c) {
                int w = g.getSize().getColumns();
                int h = g.getSize().getRows();
                if (w == 0 || h == 0) {
                    return;
                }
                Look look = new Look(c.getTheme());
                look.apply(g, TopStyles.PANE);
                g.fill(' ');
                // a one-column rule on the left separates the pane from the list
                String rule = String.valueOf(look.glyph(TopStyles.TREE_VERTICAL));
                for (int r = 0; r < h; r++) {
                    look.put(g, 0, r, rule, TopStyles.DIM, 1);
                }
                int x = 2;
                int width = w - x;
                String title = c.details == null ? (c.pid < 0 ? "Details" : "Details of " + c.pid)
                        : "Details of " + c.details.pid() + " (" + c.details.comm() + ")";
                look.put(g, x, 0, title, TopStyles.PANE_TITLE, width);
                int row = 1;
                if (!c.note.isEmpty()) {
                    look.put(g, x, row++, c.note, c.details == null && !c.note.startsWith("analysing")
                            ? TopStyles.STATUS_ERROR : TopStyles.DIM, width);
                }
                if (c.details == null) {
                    return;
                }
                List<Line> all = c.lines.apply(c.details, width);
                for (int i = 0; i < all.size() && row < h; i++, row++) {
                    if (row == h - 1 && i < all.size() - 1) {
                        look.put(g, x, row, "… " + (all.size() - i) + " more lines: Enter shows them all", TopStyles.DIM, width);
                        break;
                    }
                    int col = x;
                    for (Span s : all.get(i).spans()) {
                        col = look.put(g, col, row, s.text(), s.style(), x + width - col);
                    }
                }
            }
        };
    }
}
