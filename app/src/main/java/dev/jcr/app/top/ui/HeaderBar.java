package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.app.top.model.Snapshot;
import dev.jcr.app.top.model.ViewSettings;
import dev.jcr.themes.TopStyles;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Two lines: host, kernel and time; then the counts (processes, checkpointable, images) and the view. */
public final class HeaderBar extends AbstractComponent<HeaderBar> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Snapshot snapshot = Snapshot.empty();
    private ViewSettings view = ViewSettings.initial();
    private String theme = "";

    public void set(Snapshot s, ViewSettings v, String themeName) {
        this.snapshot = s;
        this.view = v;
        this.theme = themeName;
        invalidate();
    }

    @Override
    protected ComponentRenderer<HeaderBar> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(HeaderBar c) {
                return new TerminalSize(40, 2);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, HeaderBar c) {
                Look look = new Look(c.getTheme());
                int w = g.getSize().getColumns();
                look.apply(g, TopStyles.HEADER);
                g.fill(' ');
                Snapshot s = c.snapshot;
                int col = look.put(g, 1, 0, "jcr-top", TopStyles.HEADER_VALUE, w);
                col = pair(g, look, col + 2, 0, "host", s.host(), w);
                col = pair(g, look, col + 2, 0, "kernel", s.kernel(), w);
                if (s.takenAt().getEpochSecond() > 0) {
                    pair(g, look, col + 2, 0, "at", TIME.format(s.takenAt()), w);
                }
                col = pair(g, look, 1, 1, "processes", Long.toString(s.processCount()), w);
                col = pair(g, look, col + 2, 1, "checkpointable", Long.toString(s.checkpointable()), w);
                col = pair(g, look, col + 2, 1, "needs option", Long.toString(s.withOptions()), w);
                col = pair(g, look, col + 2, 1, "images", Integer.toString(s.images()), w);
                ViewSettings v = c.view;
                char dir = look.glyph(v.descending() ? TopStyles.SORT_DESCENDING : TopStyles.SORT_ASCENDING);
                col = pair(g, look, col + 3, 1, "view", (v.tree() ? "tree" : "flat") + (v.kernelThreads() ? " +kernel" : "")
                        + (v.threads() ? " +threads" : ""), w);
                col = pair(g, look, col + 2, 1, "sort", v.sort().title + dir, w);
                if (!v.filter().isEmpty()) {
                    col = pair(g, look, col + 2, 1, "filter", v.filter(), w);
                }
                pair(g, look, col + 2, 1, "theme", c.theme, w);
            }
        };
    }

    private static int pair(TextGUIGraphics g, Look look, int col, int row, String label, String value, int w) {
        col = look.put(g, col, row, label + " ", TopStyles.HEADER, w - col);
        return look.put(g, col, row, value, TopStyles.HEADER_VALUE, w - col);
    }
}
