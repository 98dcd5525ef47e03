package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.app.top.model.StoredImage;
import dev.jcr.themes.TopStyles;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The image directories as a table (name, size, time, files, processes) with a selection and marks. */
public final class ImageList extends AbstractInteractableComponent<ImageList> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final List<StoredImage> entries;
    private final Set<Integer> marks = new LinkedHashSet<>();
    private final Consumer<StoredImage> onOpen;
    private int selected;

    public ImageList(List<StoredImage> entries, Consumer<StoredImage> onOpen) {
        this.entries = new ArrayList<>(entries);
        this.onOpen = onOpen;
    }

    public Optional<StoredImage> selected() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(selected));
    }

    public List<StoredImage> marked() {
        return marks.stream().map(entries::get).toList();
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        if (key.getKeyType() == KeyType.ArrowUp) {
            selected = Math.max(0, selected - 1);
        } else if (key.getKeyType() == KeyType.ArrowDown) {
            selected = Math.max(0, Math.min(entries.size() - 1, selected + 1));
        } else if (key.getKeyType() == KeyType.Enter && !entries.isEmpty()) {
            onOpen.accept(entries.get(selected));
        } else if (key.getKeyType() == KeyType.Character && key.getCharacter() == ' ' && !entries.isEmpty()) {
            if (!marks.remove(selected)) {
                marks.add(selected);
            }
        } else {
            return Result.UNHANDLED;
        }
        invalidate();
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<ImageList> createDefaultRenderer() {
        return new InteractableRenderer<>() {
            @Override
            public TerminalPosition getCursorLocation(ImageList c) {
                return null;
            }

            @Override
            public TerminalSize getPreferredSize(ImageList c) {
                return new TerminalSize(100, Math.max(3, c.entries.size() + 1));
            }

            @Override
            public void drawComponent(TextGUIGraphics g, ImageList c) {
                Look look = new Look(c.getTheme());
                int w = g.getSize().getColumns();
                look.apply(g, TopStyles.PANE);
                g.fill(' ');
                look.apply(g, TopStyles.COLUMNS);
                g.putString(0, 0, Cells.left("  " + Cells.left("WRITTEN", 20) + Cells.right("SIZE", 8) + Cells.right("FILES", 7)
                        + Cells.right("PROCS", 7) + "  NAME", w));
                if (c.entries.isEmpty()) {
                    look.put(g, 2, 1, "no images yet: press d on a process to dump it", TopStyles.DIM, w - 2);
                }
                for (int i = 0; i < c.entries.size() && i + 1 < g.getSize().getRows(); i++) {
                    StoredImage e = c.entries.get(i);
                    String style = i == c.selected ? TopStyles.ROW_SELECTED : TopStyles.ROW;
                    String mark = c.marks.contains(i) ? String.valueOf(look.glyph(TopStyles.MARK)) : " ";
                    String line = mark + " " + Cells.left(TIME.format(e.modified()), 20) + Cells.right(Cells.bytes(e.bytes()), 8)
                            + Cells.right(Integer.toString(e.files()), 7)
                            + Cells.right(e.processes().isPresent() ? Integer.toString(e.processes().getAsInt()) : "-", 7)
                            + "  " + e.dir() + (e.preDump() ? " (pre-dump)" : "")
                            + e.parents().stream().map(x -> " <- " + x).collect(java.util.stream.Collectors.joining());
                    look.put(g, 0, i + 1, Cells.left(line, w), style, w);
                }
            }
        };
    }
}
