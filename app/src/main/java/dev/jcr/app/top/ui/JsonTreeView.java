package dev.jcr.app.top.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A decoded image (crit's JSON, as jcr-show prints it) as a collapsible tree. Right or Enter opens a
 * node, Left closes it (or goes to its parent), Space toggles; scalars show their value.
 */
public final class JsonTreeView extends AbstractInteractableComponent<JsonTreeView> {

    /** One visible row: where the node is, its depth, its label and the node. */
    public record Row(String path, int depth, String label, JsonNode node) {
    }

    private final JsonNode root;
    private final Set<String> open = new HashSet<>();
    private List<Row> rows = List.of();
    private int selected;
    private int top;

    public JsonTreeView(JsonNode root) {
        this.root = root;
        open.add("");
        // the entries of an image open, and the first entry, so something useful shows at once
        open.add("/entries");
        open.add("/entries/0");
        rebuild();
    }

    public List<Row> rows() {
        return rows;
    }

    public int selectedIndex() {
        return selected;
    }

    private void rebuild() {
        List<Row> out = new ArrayList<>();
        add(out, "", 0, "image", root);
        rows = out;
        selected = Math.max(0, Math.min(selected, rows.size() - 1));
        invalidate();
    }

    private void add(List<Row> out, String path, int depth, String label, JsonNode n) {
        out.add(new Row(path, depth, label, n));
        if (!n.isContainerNode() || !open.contains(path)) {
            return;
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                add(out, path + "/" + i, depth + 1, "[" + i + "]", n.get(i));
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                add(out, path + "/" + f.getKey(), depth + 1, f.getKey(), f.getValue());
            }
        }
    }

    private void move(int to) {
        selected = Math.max(0, Math.min(to, rows.size() - 1));
        int page = getSize() == null ? 10 : Math.max(1, getSize().getRows());
        if (selected < top) {
            top = selected;
        } else if (selected >= top + page) {
            top = selected - page + 1;
        }
        invalidate();
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        Row r = rows.get(selected);
        int page = getSize() == null ? 10 : Math.max(1, getSize().getRows());
        switch (key.getKeyType()) {
            case ArrowUp -> move(selected - 1);
            case ArrowDown -> move(selected + 1);
            case PageUp -> move(selected - page);
            case PageDown -> move(selected + page);
            case Home -> move(0);
            case End -> move(rows.size() - 1);
            case ArrowRight, Enter -> {
                if (r.node().isContainerNode() && open.add(r.path())) {
                    rebuild();
                }
            }
            case ArrowLeft -> {
                if (open.remove(r.path()) && r.node().isContainerNode()) {
                    rebuild();
                } else {
                    for (int i = selected - 1; i >= 0; i--) {
                        if (rows.get(i).depth() < r.depth()) {
                            move(i);
                            break;
                        }
                    }
                }
            }
            case Character -> {
                if (key.getCharacter() != ' ' || !r.node().isContainerNode()) {
                    return Result.UNHANDLED;
                }
                if (!open.remove(r.path())) {
                    open.add(r.path());
                }
                rebuild();
            }
            default -> {
                return Result.UNHANDLED;
            }
        }
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<JsonTreeView> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(JsonTreeView c) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(JsonTreeView c) {
                return new TerminalSize(80, Math.max(1, c.rows.size()));
            }

            @Override
            public void drawComponent(TextGUIGraphics g, JsonTreeView c) {
                Look look = new Look(c.getTheme());
                int w = g.getSize().getColumns();
                int h = g.getSize().getRows();
                if (c.selected >= c.top + h) {
                    c.top = c.selected - h + 1;
                }
                look.apply(g, TopStyles.PANE);
                g.fill(' ');
                for (int i = 0; i < h && c.top + i < c.rows.size(); i++) {
                    Row r = c.rows.get(c.top + i);
                    boolean sel = c.top + i == c.selected;
                    String base = sel ? TopStyles.ROW_SELECTED : TopStyles.PANE;
                    if (sel) {
                        look.put(g, 0, i, " ".repeat(w), base, w);
                    }
                    int col = 2 * r.depth();
                    JsonNode n = r.node();
                    if (n.isContainerNode()) {
                        char fold = look.glyph(c.open.contains(r.path()) ? TopStyles.FOLD_OPEN : TopStyles.FOLD_CLOSED);
                        col = look.put(g, col, i, fold + " ", sel ? base : TopStyles.TREE, w - col);
                        col = look.put(g, col, i, r.label(), sel ? base : TopStyles.PANE_TITLE, w - col);
                        look.put(g, col, i, n.isArray() ? " [" + n.size() + "]" : " {" + n.size() + "}", sel ? base : TopStyles.DIM, w - col);
                    } else {
                        col = look.put(g, col, i, "  " + r.label() + ": ", base, w - col);
                        look.put(g, col, i, n.isTextual() ? n.textValue() : n.toString(), sel ? base : TopStyles.HEADER_VALUE, w - col);
                    }
                }
            }
        };
    }
}
