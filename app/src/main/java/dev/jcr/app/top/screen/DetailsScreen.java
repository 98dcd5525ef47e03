package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.model.CrVerdict;
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
 * plain words — exactly what {@code jcr check PID} reports. The blockers come first so the answer to
 * "why not?" is on the first screen; reasons wrap rather than being cut.
 */
public final class DetailsScreen {

    private static final int VERDICT = 15;
    private static final int RESOURCE = 30;

    private DetailsScreen() {
    }

    public static BasicWindow create(ProcessDetails d, Look look, int width) {
        return Panels.expanded("Details of " + d.pid() + " (" + d.comm() + ")", new TextView(lines(d, look, width)));
    }

    public static List<Line> lines(ProcessDetails d, Look look, int width) {
        List<Line> lines = new ArrayList<>();
        List<ResourceLine> blockers = d.resources().stream().filter(r -> r.verdict() != CrVerdict.OK).toList();
        lines.add(new Line(List.of(new Span("pid " + d.pid() + "  " + d.comm() + "  overall: ", TopStyles.PANE),
                new Span(look.glyph(d.overall().glyph) + " " + d.overall().word, d.overall().style),
                new Span("  (" + d.resources().size() + " resources, " + blockers.size() + " blocking or needing an option)",
                        TopStyles.DIM))));
        if (!blockers.isEmpty()) {
            section(lines, "Why not (" + blockers.size() + ")", blockers, look, width);
        }
        for (ResourceGroup g : ResourceGroup.values()) {
            List<ResourceLine> in = d.resources().stream().filter(r -> r.group() == g).toList();
            if (!in.isEmpty()) {
                section(lines, g.title + " (" + in.size() + ")", in, look, width);
            }
        }
        return lines;
    }

    private static void section(List<Line> lines, String title, List<ResourceLine> rs, Look look, int width) {
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of(title, TopStyles.PANE_TITLE));
        for (ResourceLine r : rs) {
            String why = r.reason() + (r.option().isEmpty() ? "" : " (option: " + r.option() + ")");
            String verdict = "  " + Cells.left(look.glyph(r.verdict().glyph) + " " + r.verdict().word, VERDICT) + " ";
            int indent = verdict.length() + RESOURCE + 1;
            boolean roomy = width - indent >= 30;
            if (roomy && r.resource().length() <= RESOURCE) {
                List<String> parts = wrap(why, width - indent);
                lines.add(new Line(List.of(new Span(verdict, r.verdict().style),
                        new Span(Cells.left(r.resource(), RESOURCE) + " ", TopStyles.PANE),
                        new Span(parts.get(0), TopStyles.DIM))));
                for (String p : parts.subList(1, parts.size())) {
                    lines.add(Line.of(" ".repeat(indent) + p, TopStyles.DIM));
                }
            } else {
                lines.add(new Line(List.of(new Span(verdict, r.verdict().style), new Span(r.resource(), TopStyles.PANE))));
                int in = roomy ? indent : 6;
                for (String p : wrap(why, Math.max(20, width - in))) {
                    lines.add(Line.of(" ".repeat(in) + p, TopStyles.DIM));
                }
            }
        }
    }

    /** Splits TEXT at spaces into lines of at most WIDTH (a longer word is cut). */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                out.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (cur.length() > 0 && cur.length() + 1 + word.length() > width) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) {
                cur.append(' ');
            }
            cur.append(word);
        }
        out.add(cur.toString());
        return out;
    }
}
