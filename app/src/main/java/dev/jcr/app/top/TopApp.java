package dev.jcr.app.top;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.app.Main;
import dev.jcr.app.top.model.ProcessDetails;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.model.RowArranger;
import dev.jcr.app.top.model.Snapshot;
import dev.jcr.app.top.model.ViewSettings;
import dev.jcr.app.top.screen.DetailsScreen;
import dev.jcr.app.top.screen.DumpDialog;
import dev.jcr.app.top.screen.HelpScreen;
import dev.jcr.app.top.screen.Host;
import dev.jcr.app.top.screen.ImagesScreen;
import dev.jcr.app.top.screen.MessageScreen;
import dev.jcr.app.top.screen.OutputScreen;
import dev.jcr.app.top.screen.SignalDialog;
import dev.jcr.app.top.screen.TopWindowManager;
import dev.jcr.app.top.ui.DetailsPane;
import dev.jcr.app.top.ui.HeaderBar;
import dev.jcr.app.top.ui.Look;
import dev.jcr.app.top.ui.ProcessTable;
import dev.jcr.app.top.ui.StatusLine;
import dev.jcr.themes.JcrTheme;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * jcr-top's main screen and its key handling. Scans run on the background executor and reach the screen
 * through the GUI thread ({@code invokeLater}), so a slow scan never blocks a key; the selection follows
 * its PID across refreshes.
 */
public final class TopApp implements Host {

    private enum Prompt { NONE, SEARCH, FILTER, COMMAND }

    private final MultiWindowTextGUI gui;
    private final TopServices services;
    private final BasicWindow main = new BasicWindow("jcr-top");
    private final HeaderBar header = new HeaderBar();
    private final ProcessTable table = new ProcessTable();
    private final StatusLine status = new StatusLine();
    private final DetailsPane pane = new DetailsPane((d, width) -> DetailsScreen.lines(d, look(), width));
    /** The pid the pane wants details of; a slower answer for an earlier selection is dropped. */
    private final AtomicLong paneRequest = new AtomicLong(-1);
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private JcrTheme theme;
    private ViewSettings view = ViewSettings.initial();
    private Snapshot snapshot = Snapshot.empty();
    private Prompt prompt = Prompt.NONE;
    private String search = "";
    private volatile boolean running = true;
    /** A full scan has finished once (touched by the background thread only). */
    private volatile boolean scanned;

    public TopApp(MultiWindowTextGUI gui, TopServices services, JcrTheme theme) {
        this.gui = gui;
        this.services = services;
        this.theme = theme;
        gui.setTheme(theme.theme());
        Panel root = new Panel(new BorderLayout());
        root.addComponent(header, BorderLayout.Location.TOP);
        root.addComponent(table, BorderLayout.Location.CENTER);
        root.addComponent(pane, BorderLayout.Location.RIGHT);
        root.addComponent(status, BorderLayout.Location.BOTTOM);
        main.setComponent(root);
        main.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS, Window.Hint.NO_POST_RENDERING));
        main.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window w, KeyStroke key, AtomicBoolean deliver) {
                deliver.set(false);
                onKey(key);
            }
        });
        status.setHints(KeyBindings.HINTS);
        if (gui.getWindowManager() instanceof TopWindowManager panels) {
            panels.statusRows(status::rows); // a panel leaves the whole status line visible, however long the message
        }
        gui.addWindow(main);
        header.set(snapshot, view, theme.name());
    }

    // ---- state for tests and tools

    public boolean running() {
        return running;
    }

    public ProcessTable table() {
        return table;
    }

    public DetailsPane pane() {
        return pane;
    }

    public StatusLine status() {
        return status;
    }

    public ViewSettings view() {
        return view;
    }

    public JcrTheme theme() {
        return theme;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    // ---- Host

    @Override
    public MultiWindowTextGUI gui() {
        return gui;
    }

    @Override
    public TopServices services() {
        return services;
    }

    @Override
    public Look look() {
        return new Look(gui.getTheme());
    }

    @Override
    public void info(String message) {
        status.info(message);
    }

    @Override
    public void error(String message) {
        status.error(message);
    }

    @Override
    public void onGui(Runnable task) {
        gui.getGUIThread().invokeLater(task);
    }

    /** Starts a scan in the background unless one is running; its result is applied on the GUI thread. */
    @Override
    public void refreshNow() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        services.background().execute(() -> {
            try {
                // the first refresh analyses every process: show the list at once (verdicts pending) before it;
                // later ones re-analyse only what changed, so one pass is as quick
                if (!scanned) {
                    Snapshot quick = services.source().quickScan();
                    onGui(() -> apply(quick));
                }
                Snapshot full;
                long focus = table.selectedPid();
                try {
                    full = services.source().scan(focus);
                } catch (RuntimeException raced) {
                    // a process that exits mid-scan can fail one read; the next scan no longer sees it
                    full = services.source().scan(focus);
                }
                Snapshot done = full;
                scanned = true;
                onGui(() -> apply(done));
            } catch (RuntimeException e) {
                // never hide a message the user has not read yet (e.g. a dump's result) behind a refresh error
                onGui(() -> {
                    if (status.message().isEmpty()) {
                        error(Main.oneLine("refresh", e));
                    }
                });
            } finally {
                refreshing.set(false);
            }
        });
    }

    /** Applies a finished scan (GUI thread). */
    public void apply(Snapshot s) {
        snapshot = s;
        rearrange();
        updatePane(true);
    }

    /**
     * Keeps the side pane on the selection: reads the details (in the background) when the selection
     * moved, or when AGAIN (after a refresh) so the pane stays as fresh as the list.
     */
    private void updatePane(boolean again) {
        if (!pane.shown()) {
            return;
        }
        // a thread's row shows its process's details
        long pid = table.selected().map(r -> r.isProcess() ? r.pid() : r.ppid()).orElse(-1L);
        if (pid == pane.pid() && !again) {
            return;
        }
        pane.loading(pid);
        paneRequest.set(pid);
        if (pid < 0) {
            return;
        }
        services.background().execute(() -> {
            if (paneRequest.get() != pid) {
                return; // the selection moved on before this was read
            }
            try {
                ProcessDetails d = services.source().details(pid);
                onGui(() -> {
                    if (paneRequest.get() == pid) {
                        pane.show(d);
                    }
                });
            } catch (RuntimeException e) {
                onGui(() -> {
                    if (paneRequest.get() == pid) {
                        pane.failed(pid, Main.oneLine("details of " + pid, e));
                    }
                });
            }
        });
    }

    private void rearrange() {
        table.setRows(RowArranger.arrange(snapshot.processes(), view), view);
        header.set(snapshot, view, theme.name());
    }

    // ---- keys

    void onKey(KeyStroke key) {
        if (key.getKeyType() == KeyType.EOF) {
            quit();
            return;
        }
        if (prompt != Prompt.NONE) {
            promptKey(key);
            return;
        }
        status.clearMessage();
        Optional<Action> action = KeyBindings.actionFor(key);
        action.ifPresent(this::perform);
        updatePane(false);
    }

    void perform(Action a) {
        switch (a) {
            case UP -> table.moveBy(-1);
            case DOWN -> table.moveBy(1);
            case PAGE_UP -> table.moveBy(-table.pageSize());
            case PAGE_DOWN -> table.moveBy(table.pageSize());
            case HOME -> table.select(0);
            case END -> table.select(Integer.MAX_VALUE);
            case DETAILS -> selectedOrSay("details").ifPresent(this::showDetails);
            case PANE -> {
                pane.toggle();
                int cols = gui.getScreen().getTerminalSize().getColumns();
                if (pane.wanted() && !pane.shown()) {
                    info("details pane: needs a terminal at least " + DetailsPane.MIN_COLUMNS + " columns wide (this one has "
                            + cols + "); Enter shows the details");
                }
            }
            case DUMP -> selectedOrSay("dump").ifPresent(p -> {
                DumpDialog d = new DumpDialog(this, p);
                gui.addWindow(d.window());
            });
            case IMAGES -> gui.addWindow(ImagesScreen.create(this));
            case HELP -> gui.addWindow(HelpScreen.create());
            case SEARCH -> startPrompt(Prompt.SEARCH, "Search:", search);
            case NEXT_MATCH -> {
                if (search.isEmpty()) {
                    info("no search yet: press / to search");
                } else if (!table.findNext(search, false)) {
                    error("search: no process matches '" + search + "'");
                }
            }
            case FILTER -> startPrompt(Prompt.FILTER, "Filter:", view.filter());
            case TREE -> setView(view.withTree(!view.tree()));
            case KERNEL_THREADS -> {
                setView(view.withKernelThreads(!view.kernelThreads()));
                info(view.kernelThreads() ? "kernel threads shown (K hides them)" : "kernel threads hidden (K shows them)");
            }
            case THREADS -> {
                setView(view.withThreads(!view.threads()));
                services.source().listThreads(view.threads());
                info(view.threads() ? "threads shown under their process (H hides them)" : "threads hidden (H shows them)");
                refreshNow();
            }
            case SORT_PREVIOUS -> setView(view.withSort(view.sort().previous()));
            case SORT_NEXT -> setView(view.withSort(view.sort().next()));
            case SORT_INVERT -> setView(view.inverted());
            case SIGNAL -> selectedOrSay("signal").ifPresent(p -> gui.addWindow(SignalDialog.create(this, p)));
            case THEME -> setTheme(services.themes().load(services.themes().next(theme.bundled() ? theme.name() : "mono")));
            case COMMAND -> startPrompt(Prompt.COMMAND, ":", "");
            case MESSAGE -> {
                String m = status.lastMessage();
                if (m.isEmpty()) {
                    info("no message yet");
                } else {
                    gui.addWindow(MessageScreen.create(m, TopWindowManager.panelTextWidth(gui.getScreen().getTerminalSize().getColumns())));
                }
            }
            case REFRESH -> refreshNow();
            case BACK -> {
                if (!view.filter().isEmpty()) {
                    setView(view.withFilter(""));
                }
                search = "";
                table.setHighlight("");
            }
            case QUIT -> quit();
        }
    }

    /** The selected process; on a thread's row, the process it belongs to (what is dumped, detailed, signalled). */
    private Optional<ProcessRow> selectedOrSay(String what) {
        Optional<ProcessRow> p = table.selected();
        if (p.isEmpty()) {
            error(what + ": no process selected (the list is empty; Esc clears the filter)");
        }
        if (p.isPresent() && !p.get().isProcess()) {
            long owner = p.get().ppid();
            return snapshot.processes().stream().filter(r -> r.pid() == owner && r.isProcess()).findFirst();
        }
        return p;
    }

    private void showDetails(ProcessRow p) {
        info("analysing " + p.pid() + " …");
        services.background().execute(() -> {
            try {
                ProcessDetails d = services.source().details(p.pid());
                onGui(() -> {
                    status.clearMessage();
                    gui.addWindow(DetailsScreen.create(d, look(), TopWindowManager.panelTextWidth(gui.getScreen().getTerminalSize().getColumns())));
                });
            } catch (RuntimeException e) {
                onGui(() -> error(Main.oneLine("details of " + p.pid(), e)));
            }
        });
    }

    public void setTheme(JcrTheme t) {
        theme = t;
        gui.setTheme(t.theme());
        header.set(snapshot, view, t.name());
        info("theme " + t.name() + ": " + t.description());
    }

    private void setView(ViewSettings v) {
        view = v;
        rearrange();
    }

    private void startPrompt(Prompt p, String label, String initial) {
        prompt = p;
        status.clearMessage();
        status.startPrompt(label, initial);
    }

    private void promptKey(KeyStroke key) {
        switch (key.getKeyType()) {
            case Escape -> {
                Prompt was = prompt;
                prompt = Prompt.NONE;
                status.endPrompt();
                if (was == Prompt.FILTER) {
                    setView(view.withFilter(""));
                } else if (was == Prompt.SEARCH) {
                    search = "";
                    table.setHighlight("");
                }
            }
            case Enter -> {
                Prompt was = prompt;
                prompt = Prompt.NONE;
                String text = status.endPrompt().strip();
                if (was == Prompt.COMMAND && !text.isEmpty()) {
                    runCommand(text);
                } else if (was == Prompt.SEARCH) {
                    table.setHighlight("");
                }
            }
            case Backspace -> {
                status.backspace();
                typed();
            }
            case Character -> {
                if (!key.isCtrlDown() && !key.isAltDown()) {
                    status.type(key.getCharacter());
                    typed();
                }
            }
            default -> {
            }
        }
    }

    /** Search and filter follow each typed character. */
    private void typed() {
        String text = status.input();
        if (prompt == Prompt.FILTER) {
            setView(view.withFilter(text));
        } else if (prompt == Prompt.SEARCH) {
            search = text;
            table.setHighlight(text);
            if (!text.isEmpty()) {
                table.findNext(text, true);
            }
        }
    }

    private void runCommand(String line) {
        info("running: jcr " + line);
        services.background().execute(() -> {
            var outcome = services.commands().run(line);
            onGui(() -> {
                status.clearMessage();
                gui.addWindow(OutputScreen.create(outcome));
            });
        });
    }

    @Override
    public void quit() {
        running = false;
        for (Window w : gui.getWindows()) {
            w.close();
        }
    }
}
