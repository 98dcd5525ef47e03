package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.List;

/**
 * A scrollable page of styled lines (help, details, command output, image files). Up/Down/PgUp/PgDn/Home/End
 * scroll; the window it sits in closes it.
 */
public final class TextView extends AbstractInteractableComponent<TextView> {

    /** A run of text in one theme style. */
    public record Span(String text, String style) {
    }

    /** One line of spans; a line with an ACTION can be selected and Enter runs it. */
    public record Line(List<Span> spans, Runnable action) {
        public Line(List<Span> spans) {
            this(spans, null);
        }

        public static Line of(String text, String style) {
            return new Line(List.of(new Span(text, style)));
        }

        public static Line action(String text, String style, Runnable action) {
            return new Line(List.of(new Span(text, style)), action);
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            spans.forEach(s -> b.append(s.text()));
            return b.toString();
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private int top;
    /** The selected line when some lines have actions, else -1. */
    private int cursor = -1;

    public TextView(List<Line> content) {
        lines.addAll(content);
        cursor = nextAction(-1, 1);
    }

    /** The selected line, or -1 when no line has an action. */
    public int cursor() {
        return cursor;
    }

    private int nextAction(int from, int step) {
        for (int i = from + step; i >= 0 && i < lines.size(); i += step) {
            if (lines.get(i).action() != null) {
                return i;
            }
        }
        return -1;
    }

    private void ensureVisible() {
        int page = page();
        if (cursor < top) {
            top = cursor;
        } else if (cursor >= top + page) {
            top = cursor - page + 1;
        }
        invalidate();
    }

    public List<Line> lines() {
        return lines;
    }

    public void setLines(List<Line> content) {
        lines.clear();
        lines.addAll(content);
        top = Math.min(top, Math.max(0, lines.size() - 1));
        invalidate();
    }

    public int top() {
        return top;
    }

    private int page() {
        return getSize() == null ? 10 : Math.max(1, getSize().getRows());
    }

    private void scrollTo(int t) {
        top = Math.max(0, Math.min(t, Math.max(0, lines.size() - page())));
        invalidate();
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        if (cursor >= 0) {
            switch (key.getKeyType()) {
                case ArrowUp, ArrowDown -> {
                    int next = nextAction(cursor, key.getKeyType() == com.googlecode.lanterna.input.KeyType.ArrowUp ? -1 : 1);
                    if (next >= 0) {
                        cursor = next;
                    } else {
                        scrollTo(top + (key.getKeyType() == com.googlecode.lanterna.input.KeyType.ArrowUp ? -1 : 1));
                        return Result.HANDLED;
                    }
                    ensureVisible();
                    return Result.HANDLED;
                }
                case Enter -> {
                    lines.get(cursor).action().run();
                    return Result.HANDLED;
                }
                default -> {
                }
            }
        }
        switch (key.getKeyType()) {
            case ArrowUp -> scrollTo(top - 1);
            case ArrowDown -> scrollTo(top + 1);
            case PageUp -> scrollTo(top - page());
            case PageDown -> scrollTo(top + page());
            case Home -> scrollTo(0);
            case End -> scrollTo(lines.size());
            default -> {
                return Result.UNHANDLED;
            }
        }
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<TextView> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public com.googlecode.lanterna.TerminalPosition getCursorLocation(TextView c) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(TextView c) {
                int w = 20;
                for (Line l : c.lines) {
                    w = Math.max(w, l.text().length());
                }
                return new TerminalSize(w, Math.max(1, c.lines.size()));
            }

            @Override
            public void drawComponent(TextGUIGraphics g, TextView c) {
                Look look = new Look(c.getTheme());
                look.apply(g, TopStyles.PANE);
                g.fill(' ');
                int w = g.getSize().getColumns();
                int h = g.getSize().getRows();
                if (c.cursor >= c.top + h) {
                    c.top = c.cursor - h + 1; // keep the selected line on screen (e.g. after a resize)
                }
                for (int r = 0; r < g.getSize().getRows() && c.top + r < c.lines.size(); r++) {
                    int col = 0;
                    boolean sel = c.top + r == c.cursor;
                    if (sel) {
                        look.put(g, 0, r, " ".repeat(w), TopStyles.ROW_SELECTED, w);
                    }
                    for (Span s : c.lines.get(c.top + r).spans()) {
                        col = look.put(g, col, r, s.text(), sel ? TopStyles.ROW_SELECTED : s.style(), w - col);
                    }
                }
            }
        };
    }
}
