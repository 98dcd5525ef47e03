package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.app.top.model.Column;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.model.ViewSettings;
import dev.jcr.app.top.model.VisibleRow;
import dev.jcr.themes.TopStyles;
import java.util.List;
import java.util.Optional;

/**
 * The process list: a column header and one line per row, the selected one highlighted. The selection
 * follows the selected PID across refreshes (and stays at the same index when that process is gone), and
 * the scroll position is kept unless the selection would leave the screen.
 */
public final class ProcessTable extends AbstractComponent<ProcessTable> {

    private List<VisibleRow> rows = List.of();
    private ViewSettings view = ViewSettings.initial();
    /** Read by the refresh thread (its focus), written on the GUI thread. */
    private volatile long selectedPid = -1;
    private int selected;
    private int top;
    private String highlight = "";

    public void setRows(List<VisibleRow> newRows, ViewSettings v) {
        this.view = v;
        int index = -1;
        for (int i = 0; i < newRows.size(); i++) {
            if (newRows.get(i).process().pid() == selectedPid) {
                index = i;
                break;
            }
        }
        this.rows = newRows;
        if (index < 0) {
            index = Math.min(selected, newRows.size() - 1);
        }
        select(Math.max(index, 0));
    }

    public List<VisibleRow> rows() {
        return rows;
    }

    public Optional<ProcessRow> selected() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(selected).process());
    }

    /** The selected pid, -1 when the list is empty; safe to read from any thread. */
    public long selectedPid() {
        return selectedPid;
    }

    public int selectedIndex() {
        return selected;
    }

    public int topIndex() {
        return top;
    }

    /** Rows that fit under the column header (at least 1). */
    public int pageSize() {
        TerminalSize s = getSize();
        return Math.max(1, (s == null ? 10 : s.getRows()) - 1);
    }

    public void moveBy(int delta) {
        select(selected + delta);
    }

    public void select(int index) {
        if (rows.isEmpty()) {
            selected = 0;
            top = 0;
            selectedPid = -1;
            invalidate();
            return;
        }
        selected = Math.max(0, Math.min(index, rows.size() - 1));
        selectedPid = rows.get(selected).process().pid();
        int page = pageSize();
        if (selected < top) {
            top = selected;
        } else if (selected >= top + page) {
            top = selected - page + 1;
        }
        top = Math.max(0, Math.min(top, Math.max(0, rows.size() - page)));
        invalidate();
    }

    public void selectPid(long pid) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).process().pid() == pid) {
                select(i);
                return;
            }
        }
    }

    /** Moves to the next row (after the selected one, wrapping) whose process matches TEXT; false if none. */
    public boolean findNext(String text, boolean includeCurrent) {
        for (int k = includeCurrent ? 0 : 1; k <= rows.size(); k++) {
            int i = (selected + k) % Math.max(1, rows.size());
            if (!rows.isEmpty() && rows.get(i).process().matches(text)) {
                select(i);
                return true;
            }
        }
        return false;
    }

    public void setHighlight(String text) {
        this.highlight = text;
        invalidate();
    }

    @Override
    protected ComponentRenderer<ProcessTable> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(ProcessTable c) {
                return new TerminalSize(80, 10);
            }

            @Override
            public void drawComponent(TextGUIGraphics g, ProcessTable c) {
                c.paint(g);
            }
        };
    }

    private void paint(TextGUIGraphics g) {
        Look look = new Look(getTheme());
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        // keep the selection on screen after a resize
        int page = Math.max(1, h - 1);
        if (selected >= top + page) {
            top = selected - page + 1;
        }
        look.apply(g, TopStyles.ROW);
        g.fill(' ');
        look.apply(g, TopStyles.COLUMNS);
        g.putString(0, 0, " ".repeat(w));
        int col = 0;
        for (Column c : Column.values()) {
            String title = c.title;
            if (c == view.sort()) {
                title += look.glyph(view.descending() ? TopStyles.SORT_DESCENDING : TopStyles.SORT_ASCENDING);
            }
            int cw = c.width == 0 ? w - col : Math.max(c.width, c.title.length() + 1);
            g.putString(col, 0, c.rightAligned ? Cells.right(title, cw) : Cells.left(title, cw));
            col += cw + 1;
        }
        for (int r = 0; r < page && top + r < rows.size(); r++) {
            drawRow(g, look, rows.get(top + r), r + 1, w, top + r == selected);
        }
    }

    private void drawRow(TextGUIGraphics g, Look look, VisibleRow vr, int y, int w, boolean isSelected) {
        ProcessRow p = vr.process();
        boolean hit = !highlight.isEmpty() && p.matches(highlight);
        String base = isSelected ? TopStyles.ROW_SELECTED : hit ? TopStyles.ROW_MATCH : vr.matched() ? TopStyles.ROW : TopStyles.DIM;
        look.apply(g, base);
        g.putString(0, y, " ".repeat(w));
        int col = 0;
        col = cell(g, look, col, y, Cells.right(Long.toString(p.pid()), Column.PID.width), base, w);
        col = cell(g, look, col, y, Cells.left(p.user(), Column.USER.width), base, w);
        col = cell(g, look, col, y, Cells.left(String.valueOf(p.state()), Column.STATE.width + 1), base, w);
        col = cell(g, look, col, y, Cells.right(Integer.toString(p.threads()), Column.THREADS.width), base, w);
        col = cell(g, look, col, y, Cells.right(Cells.kib(p.rssKiB()), Column.RSS.width), base, w);
        String verdict = look.glyph(p.verdict().glyph) + " " + p.verdict().word;
        col = cell(g, look, col, y, Cells.left(verdict, Column.VERDICT.width), isSelected ? base : p.verdict().style, w);
        if (view.tree() && vr.depth() > 0) {
            StringBuilder prefix = new StringBuilder();
            boolean[] last = vr.lastAtLevel();
            for (int i = 0; i < vr.depth() - 1; i++) {
                prefix.append(last[i] ? ' ' : look.glyph(TopStyles.TREE_VERTICAL)).append(' ');
            }
            prefix.append(last[vr.depth() - 1] ? look.glyph(TopStyles.TREE_LAST) : look.glyph(TopStyles.TREE_BRANCH))
                    .append(look.glyph(TopStyles.TREE_HORIZONTAL));
            col = look.put(g, col, y, prefix.toString(), isSelected ? base : TopStyles.TREE, w - col);
        }
        // a thread's row: its name, dimmed, under its process
        look.put(g, col, y, p.command(), p.isProcess() || isSelected ? base : TopStyles.DIM, w - col);
    }

    private static int cell(TextGUIGraphics g, Look look, int col, int y, String text, String style, int w) {
        look.put(g, col, y, text, style, w - col);
        return col + text.length() + 1;
    }
}
