package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.KeyBindings;
import dev.jcr.app.top.ui.Cells;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.app.top.ui.TextView.Span;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.List;

/** F1 / ?: every key of the main screen (from {@link KeyBindings}) and of the panels. */
public final class HelpScreen {

    private HelpScreen() {
    }

    public static BasicWindow create() {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of("Main screen", TopStyles.PANE_TITLE));
        for (KeyBindings.Binding b : KeyBindings.ALL) {
            if (!b.keys().isEmpty()) {
                lines.add(new Line(List.of(new Span("  " + Cells.left(b.keys(), 11), TopStyles.STATUS_KEY),
                        new Span("  " + b.help(), TopStyles.PANE))));
            }
        }
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of("Panels (details, images, output, help)", TopStyles.PANE_TITLE));
        for (String[] kv : new String[][] {{"Up/Down PgUp/PgDn", "scroll or move"}, {"Esc q", "close the panel"},
                {"Space", "images: mark an image (two marks + D: diff)"}, {"Enter", "images: open the selected image / decode a file"},
                {"Right Left Space", "decoded image: open / close / toggle a node"},
                {"r", "images: restore the selected image"}, {"Tab", "dialogs: next field"}}) {
            lines.add(new Line(List.of(new Span("  " + Cells.left(kv[0], 17), TopStyles.STATUS_KEY),
                    new Span("  " + kv[1], TopStyles.PANE))));
        }
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of("C/R column: the drivers' verdict for the process (same as 'jcr check PID'):", TopStyles.DIM));
        lines.add(Line.of("ok = checkpointable; needs option = an option makes it so; unsupported = a resource has no driver.", TopStyles.DIM));
        return Panels.expanded("Help", new TextView(lines));
    }
}
