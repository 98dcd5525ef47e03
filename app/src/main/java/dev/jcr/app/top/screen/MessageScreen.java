package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.themes.TopStyles;
import java.util.ArrayList;
import java.util.List;

/** "!": the last status-line message in full, one reason per line where it lists several ("; "). */
public final class MessageScreen {

    private MessageScreen() {
    }

    public static BasicWindow create(String message, int width) {
        List<Line> lines = new ArrayList<>();
        for (String part : message.split("; ")) {
            boolean first = true;
            for (String l : DetailsScreen.wrap(part, Math.max(20, width - 4))) {
                lines.add(Line.of((first ? "" : "    ") + l, TopStyles.PANE));
                first = false;
            }
        }
        return Panels.expanded("Message", new TextView(lines));
    }
}
