package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.model.ProcessDetails;
import dev.jcr.app.top.model.ResourceGroup;
import dev.jcr.app.top.model.ResourceLine;
import dev.jcr.app.top.ui.Cells;
import dev.jcr.app.top.ui.Look;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.app.top.ui.TextView.Span;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.List;

/**
 * Enter: every resource of the selected process, grouped, each with its driver's verdict and reason in
 * plain words — exactly what {@code jcr check PID} reports.
 */
public final class DetailsScreen {

    private DetailsScreen() {
    }

    public static BasicWindow create(ProcessDetails d, Look look) {
        return Panels.expanded("Details of " + d.pid() + " (" + d.comm() + ")", new TextView(lines(d, look)));
    }

    public static List<Line> lines(ProcessDetails d, Look look) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(List.of(new Span("pid " + d.pid() + "  " + d.comm() + "  overall: ", TopStyles.PANE),
                new Span(look.glyph(d.overall().glyph) + " " + d.overall().word, d.overall().style),
                new Span("  (" + d.resources().size() + " resources)", TopStyles.DIM))));
        for (ResourceGroup g : ResourceGroup.values()) {
            List<ResourceLine> in = d.resources().stream().filter(r -> r.group() == g).toList();
            if (in.isEmpty()) {
                continue;
            }
            lines.add(Line.of("", TopStyles.PANE));
            lines.add(Line.of(g.title + " (" + in.size() + ")", TopStyles.PANE_TITLE));
            for (ResourceLine r : in) {
                lines.add(new Line(List.of(
                        new Span("  " + Cells.left(look.glyph(r.verdict().glyph) + " " + r.verdict().word, 15), r.verdict().style),
                        new Span(" " + r.resource(), TopStyles.PANE))));
                if (!r.reason().isEmpty()) {
                    String why = "      " + r.reason() + (r.option().isEmpty() ? "" : " (option: " + r.option() + ")");
                    lines.add(Line.of(why, TopStyles.DIM));
                }
            }
        }
        return lines;
    }
}
