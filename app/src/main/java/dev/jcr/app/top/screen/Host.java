package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import dev.jcr.app.top.TopServices;
import dev.jcr.app.top.ui.Look;

/** What a screen needs from the application: the GUI, the services, the status line, the theme. */
public interface Host {
    MultiWindowTextGUI gui();

    TopServices services();

    Look look();

    void info(String message);

    void error(String message);

    /** Runs TASK on the GUI thread (from any thread). */
    void onGui(Runnable task);

    void refreshNow();

    /** Ends jcr-top (a dump still running is cancelled cleanly first, see TopMain). */
    default void quit() {
    }
}
