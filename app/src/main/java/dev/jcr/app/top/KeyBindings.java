package dev.jcr.app.top;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.app.top.ui.DetailsPane;
import dev.jcr.app.top.ui.StatusLine;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The keys of the main screen, in one table: dispatch, the help screen and the status-line hints all read
 * it, so a key cannot work without being documented (conventions of htop, btop and k9s).
 */
public final class KeyBindings {

    /** One binding: how the key is written, what it does in words, which strokes match, the action. */
    public record Binding(String keys, String help, Predicate<KeyStroke> matches, Action action) {
    }

    public static final List<Binding> ALL = List.of(
            new Binding("Up/Down", "move the selection", k -> is(k, KeyType.ArrowUp), Action.UP),
            new Binding("", "", k -> is(k, KeyType.ArrowDown), Action.DOWN),
            new Binding("PgUp/PgDn", "move a page", k -> is(k, KeyType.PageUp), Action.PAGE_UP),
            new Binding("", "", k -> is(k, KeyType.PageDown), Action.PAGE_DOWN),
            new Binding("Home/End", "first / last process", k -> is(k, KeyType.Home), Action.HOME),
            new Binding("", "", k -> is(k, KeyType.End), Action.END),
            new Binding("Enter", "details: every resource with its driver's verdict and reason", k -> is(k, KeyType.Enter), Action.DETAILS),
            new Binding("p", "details side pane on / off (beside the list when the terminal is at least "
                    + DetailsPane.MIN_COLUMNS + " columns wide)", k -> ch(k, 'p'), Action.PANE),
            new Binding("d", "dump the selected process (asks for a directory; confirms before killing)", k -> ch(k, 'd'), Action.DUMP),
            new Binding("i", "images browser", k -> ch(k, 'i'), Action.IMAGES),
            new Binding("F1 ?", "this help", k -> is(k, KeyType.F1) || ch(k, '?'), Action.HELP),
            new Binding("/", "search (Enter keeps it, n or F3 finds the next match)", k -> ch(k, '/'), Action.SEARCH),
            new Binding("n F3", "next search match", k -> ch(k, 'n') || is(k, KeyType.F3), Action.NEXT_MATCH),
            new Binding("\\ f", "filter the list (Esc clears it)", k -> ch(k, '\\') || ch(k, 'f'), Action.FILTER),
            new Binding("F5 t", "tree / flat view", k -> is(k, KeyType.F5) || ch(k, 't'), Action.TREE),
            new Binding("K", "kernel threads shown / hidden (hidden at start; none can be checkpointed)", k -> ch(k, 'K'),
                    Action.KERNEL_THREADS),
            new Binding("H", "threads of each process shown / hidden (hidden at start)", k -> ch(k, 'H'), Action.THREADS),
            new Binding("< >", "sort by the previous / next column", k -> ch(k, '<'), Action.SORT_PREVIOUS),
            new Binding("F6", "sort by the next column", k -> ch(k, '>') || is(k, KeyType.F6), Action.SORT_NEXT),
            new Binding("I", "invert the sort order", k -> ch(k, 'I'), Action.SORT_INVERT),
            new Binding("F9 k", "send a signal to the selected process (confirmed)", k -> is(k, KeyType.F9) || ch(k, 'k'), Action.SIGNAL),
            new Binding("T", "next theme", k -> ch(k, 'T'), Action.THEME),
            new Binding(":", "command line: runs jcr commands (e.g. check PID), output in a panel", k -> ch(k, ':'), Action.COMMAND),
            new Binding("!", "the last message in full (a long error is cut in the status line)", k -> ch(k, '!'), Action.MESSAGE),
            new Binding("Ctrl-L", "refresh now", k -> k.getKeyType() == KeyType.Character && k.isCtrlDown() && k.getCharacter() == 'l', Action.REFRESH),
            new Binding("Esc", "back: close a panel, clear the filter or the search", k -> is(k, KeyType.Escape), Action.BACK),
            new Binding("F10 q", "quit", k -> is(k, KeyType.F10) || ch(k, 'q'), Action.QUIT));

    /** The short hints of the status line. */
    public static final List<StatusLine.Hint> HINTS = List.of(
            new StatusLine.Hint("F1", "Help"), new StatusLine.Hint("Enter", "Details"), new StatusLine.Hint("p", "Pane"), new StatusLine.Hint("d", "Dump"),
            new StatusLine.Hint("i", "Images"), new StatusLine.Hint("/", "Search"), new StatusLine.Hint("\\", "Filter"),
            new StatusLine.Hint("t", "Tree"), new StatusLine.Hint("<>", "Sort"), new StatusLine.Hint("k", "Signal"),
            new StatusLine.Hint("T", "Theme"), new StatusLine.Hint(":", "Cmd"), new StatusLine.Hint("q", "Quit"));

    private KeyBindings() {
    }

    public static Optional<Action> actionFor(KeyStroke k) {
        if (k.isAltDown()) {
            return Optional.empty();
        }
        return ALL.stream().filter(b -> b.matches().test(k)).map(Binding::action).findFirst();
    }

    private static boolean is(KeyStroke k, KeyType t) {
        return k.getKeyType() == t;
    }

    private static boolean ch(KeyStroke k, char c) {
        return k.getKeyType() == KeyType.Character && !k.isCtrlDown() && k.getCharacter() == c;
    }
}
