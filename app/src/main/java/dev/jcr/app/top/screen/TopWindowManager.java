package dev.jcr.app.top.screen;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.screen.Screen;
import java.util.function.IntSupplier;

/**
 * Places jcr-top's windows. A panel ({@link Panels#expanded}: details, diff, help …) covers the whole
 * width between the header's first line and the status line. Lanterna's own EXPANDED placement leaves
 * one column on the left and three on the right (room for a two-column drop shadow) through which the
 * process list stays visible: with the themes' see-through shadow, stray characters of the list showed at
 * the right edge of every panel. Dialogs (CENTERED) are placed as Lanterna does.
 */
public final class TopWindowManager extends DefaultWindowManager {

    /** The header line that stays visible above a panel (host, kernel, time). */
    static final int TOP = 1;

    /** Rows of the status line, which stays visible below a panel (a long message takes several). */
    private IntSupplier bottom = () -> 1;

    /** The GUI every jcr-top front end (terminal, tests, screenshots, bench) draws in. */
    public static MultiWindowTextGUI gui(Screen screen) {
        return new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen, new TopWindowManager());
    }

    /** Where the status line's height comes from (asked at every redraw). */
    public void statusRows(IntSupplier rows) {
        this.bottom = rows;
    }

    @Override
    protected void prepareWindow(TerminalSize screen, Window window) {
        super.prepareWindow(screen, window);
        if (window.getHints().contains(Window.Hint.EXPANDED)) {
            window.setPosition(new TerminalPosition(0, TOP));
            window.setDecoratedSize(new TerminalSize(screen.getColumns(),
                    Math.max(3, screen.getRows() - TOP - Math.max(1, bottom.getAsInt()))));
        }
    }

    /** The width of a panel's text on a terminal COLUMNS wide (inside its border). */
    public static int panelTextWidth(int columns) {
        return Math.max(20, columns - 2);
    }
}
