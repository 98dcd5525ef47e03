package dev.jcr.app.top;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Container;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.ProcessSource;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.themes.ThemeCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * jcr-top running in Lanterna's virtual terminal on the test thread: keys are queued as the terminal's
 * input, {@link #settle()} runs the GUI thread until nothing is left to do, and the screen is read back
 * cell by cell. Background work runs inline, so every step is deterministic.
 */
final class VirtualTop implements AutoCloseable {

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    final MultiWindowTextGUI gui;
    final TopApp app;

    VirtualTop(int cols, int rows, ProcessSource source, ImageStore images, DumpAction dump, String theme) {
        try {
            terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = dev.jcr.app.top.screen.TopWindowManager.gui(screen);
            ThemeCatalog catalog = new ThemeCatalog();
            TopServices services = new TopServices(source, images, dump, new SignalSender(), new CommandRunner(), catalog, Runnable::run);
            app = new TopApp(gui, services, catalog.load(theme));
            app.refreshNow();
            settle();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the GUI thread until no input, task or redraw is pending. */
    void settle() {
        try {
            for (int i = 0; i < 20; i++) {
                gui.getGUIThread().processEventsAndUpdate();
            }
            gui.updateScreen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    VirtualTop press(KeyStroke... keys) {
        for (KeyStroke k : keys) {
            terminal.addInput(k);
            settle();
        }
        return this;
    }

    VirtualTop type(String text) {
        for (char c : text.toCharArray()) {
            press(new KeyStroke(c, false, false));
        }
        return this;
    }

    static KeyStroke key(KeyType t) {
        return new KeyStroke(t);
    }

    static KeyStroke ch(char c) {
        return new KeyStroke(c, false, false);
    }

    void refresh() {
        app.refreshNow();
        settle();
    }

    String line(int row) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < terminal.getTerminalSize().getColumns(); c++) {
            b.append(terminal.getCharacter(c, row).getCharacterString());
        }
        return b.toString();
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < terminal.getTerminalSize().getRows(); r++) {
            out.add(line(r));
        }
        return out;
    }

    String text() {
        return String.join("\n", lines());
    }

    TextCharacter cell(int col, int row) {
        return terminal.getCharacter(new TerminalPosition(col, row));
    }

    /** The row showing PID in the PID column, or -1. */
    int rowOf(long pid) {
        List<String> ls = lines();
        for (int r = 0; r < ls.size(); r++) {
            if (ls.get(r).length() > 7 && ls.get(r).substring(0, 7).strip().equals(Long.toString(pid))) {
                return r;
            }
        }
        return -1;
    }

    /** The status line's text; a long message wraps over several rows, which are joined back here. */
    String statusLine() {
        int rows = app.status().getSize().getRows();
        int last = terminal.getTerminalSize().getRows() - 1;
        if (rows == 1) {
            return line(last).strip();
        }
        StringBuilder b = new StringBuilder();
        for (int r = last - rows + 1; r <= last; r++) {
            String l = line(r);
            b.append(r == last ? l.substring(1).stripTrailing() : l.substring(1));
        }
        return b.toString().strip();
    }

    Window active() {
        return gui.getActiveWindow();
    }

    /** The first component of TYPE in the active window. */
    <T extends Component> T find(Class<T> type) {
        return find(active().getComponent(), type).orElseThrow(() -> new AssertionError("no " + type.getSimpleName()
                + " in window " + active().getTitle()));
    }

    private static <T extends Component> Optional<T> find(Component c, Class<T> type) {
        if (type.isInstance(c)) {
            return Optional.of(type.cast(c));
        }
        if (c instanceof Container k) {
            for (Component child : k.getChildren()) {
                Optional<T> f = find(child, type);
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        return Optional.empty();
    }

    static ImageStore images(Path root) {
        return new ImageStore(List.of(root));
    }

    @Override
    public void close() {
        try {
            screen.stopScreen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
