package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.List;

/** The output of a {@code :} command: the command, what it printed (errors in the error style), its exit code. */
public final class OutputScreen {

    private OutputScreen() {
    }

    public static BasicWindow create(CommandRunner.Outcome o) {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of("$ jcr " + o.line(), TopStyles.PANE_TITLE));
        for (String l : o.out().split("\n", -1)) {
            lines.add(Line.of(l, TopStyles.PANE));
        }
        if (!o.err().isEmpty()) {
            for (String l : o.err().split("\n")) {
                lines.add(Line.of(l, TopStyles.UNSUPPORTED));
            }
        }
        lines.add(Line.of("exit " + o.exitCode(), o.exitCode() == 0 ? TopStyles.OK : TopStyles.UNSUPPORTED));
        return Panels.expanded("Command", new TextView(lines));
    }
}
