package dev.jcr.app.top.ui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.jcr.themes.TopStyles;
import java.util.List;

/**
 * The bottom line. Shows, by priority: a prompt being typed (search, filter, command), else a message (an
 * error with its reason, or information) until the next key, else the key hints.
 */
public final class StatusLine extends AbstractComponent<StatusLine> {

    /** A key hint: the key as drawn and what it does. */
    public record Hint(String key, String label) {
    }

    private List<Hint> hints = List.of();
    private String message = "";
    /** The last message shown, kept for the "!" key after the line went back to hints. */
    private String lastMessage = "";
    private boolean error;
    private String promptLabel;
    private final StringBuilder input = new StringBuilder();

    public void setHints(List<Hint> h) {
        this.hints = List.copyOf(h);
        invalidate();
    }

    /** A long message wraps onto up to 4 rows so a reason is never cut; otherwise one row. */
    /** How many rows the status line takes now (a long message wraps over up to four). */
    public int rows() {
        return rowsNeeded();
    }

    private int rowsNeeded() {
        if (promptLabel != null || message.isEmpty()) {
            return 1;
        }
        int width = getSize() == null || getSize().getColumns() < 10 ? 80 : getSize().getColumns();
        return Math.max(1, Math.min(4, (message.length() + width - 2) / (width - 1)));
    }

    public void info(String text) {
        message = text;
        lastMessage = text.isEmpty() ? lastMessage : text;
        error = false;
        relayout();
    }

    public void error(String text) {
        message = text;
        lastMessage = text;
        error = true;
        relayout();
    }

    /** The height may change with the message: the parent must lay out again. */
    private void relayout() {
        invalidate();
        if (getParent() != null) {
            getParent().invalidate();
        }
    }

    public String message() {
        return message;
    }

    public String lastMessage() {
        return lastMessage;
    }

    public boolean isError() {
        return error && !message.isEmpty();
    }

    public void clearMessage() {
        boolean had = !message.isEmpty();
        message = "";
        error = false;
        if (had) {
            relayout();
        }
    }

    public void startPrompt(String label, String initial) {
        promptLabel = label;
        input.setLength(0);
        input.append(initial);
        invalidate();
    }

    public boolean prompting() {
        return promptLabel != null;
    }

    public String input() {
        return input.toString();
    }

    public void type(char c) {
        input.append(c);
        invalidate();
    }

    public void backspace() {
        if (input.length() > 0) {
            input.setLength(input.length() - 1);
        }
        invalidate();
    }

    /** Ends the prompt and returns what was typed. */
    public String endPrompt() {
        promptLabel = null;
        invalidate();
        return input.toString();
    }

    @Override
    protected ComponentRenderer<StatusLine> createDefaultRenderer() {
        return new ComponentRenderer<>() {
            @Override
            public TerminalSize getPreferredSize(StatusLine c) {
                return new TerminalSize(40, c.rowsNeeded());
            }

            @Override
            public void drawComponent(TextGUIGraphics g, StatusLine c) {
                c.paint(g);
            }
        };
    }

    private void paint(TextGUIGraphics g) {
        Look look = new Look(getTheme());
        int w = g.getSize().getColumns();
        look.apply(g, TopStyles.STATUS);
        g.fill(' ');
        if (promptLabel != null) {
            int col = look.put(g, 0, 0, promptLabel, TopStyles.STATUS_KEY, w);
            look.put(g, col, 0, " " + input + "_", TopStyles.STATUS, w - col);
            return;
        }
        if (!message.isEmpty()) {
            String style = error ? TopStyles.STATUS_ERROR : TopStyles.STATUS_INFO;
            look.apply(g, style);
            g.fill(' ');
            int per = Math.max(1, w - 1);
            int rows = g.getSize().getRows();
            String shown = message;
            if (message.length() > rows * per) {
                String more = " … (! shows all)";
                shown = message.substring(0, Math.max(0, rows * per - more.length())) + more;
            }
            for (int row = 0, from = 0; row < rows && from < shown.length(); row++, from += per) {
                look.put(g, 1, row, shown.substring(from, Math.min(shown.length(), from + per)), style, per);
            }
            return;
        }
        int col = 0;
        for (Hint h : hints) {
            if (col + h.key().length() + h.label().length() + 3 > w) {
                break;
            }
            col = look.put(g, col, 0, h.key(), TopStyles.STATUS_KEY, w - col);
            col = look.put(g, col, 0, " " + h.label() + "  ", TopStyles.STATUS, w - col);
        }
    }
}
