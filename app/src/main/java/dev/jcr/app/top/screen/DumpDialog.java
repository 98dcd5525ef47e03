package dev.jcr.app.top.screen;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import dev.jcr.app.top.model.CrVerdict;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.RadioBoxList;
import com.googlecode.lanterna.gui2.TextBox;
import dev.jcr.app.Main;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpPhase;
import dev.jcr.dump.DumpResult;
import dev.jcr.app.top.model.DumpTarget;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.ui.ProgressView;
import dev.jcr.themes.TopStyles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * d: dump the selected process. The dialog asks for the directory (checked before anything happens) and
 * whether to leave the process running; killing it is confirmed separately. The dump then runs in the
 * background — the same engine call as {@code jcr dump} — with a progress bar fed by the engine's
 * {@link DumpListener}; its summary or the reason it refused (the process left running) is shown.
 */
public final class DumpDialog {

    static final String LEAVE = "leave it running";
    static final String KILL = "kill it after the dump";

    private final Host host;
    private final ProcessRow target;
    private final BasicWindow window;
    private final TextBox directory;
    private final RadioBoxList<String> after;
    private final Label problem;
    private final CheckBox shellJob;

    public DumpDialog(Host host, ProcessRow target) {
        this.host = host;
        this.target = target;
        Path dflt = DumpTarget.defaultFor(host.services().images().primaryRoot(), target.comm(), target.pid(), Instant.now());
        Panel form = new Panel(new GridLayout(2));
        form.addComponent(new Label("Process"));
        form.addComponent(new Label(target.pid() + " " + target.comm()));
        form.addComponent(new Label("Directory"));
        directory = new TextBox(new TerminalSize(60, 1), dflt.toString());
        form.addComponent(directory);
        form.addComponent(new Label("After"));
        after = new RadioBoxList<>();
        after.addItem(LEAVE);
        after.addItem(KILL);
        after.setCheckedItemIndex(0);
        form.addComponent(after);
        form.addComponent(new Label("Options"));
        shellJob = new CheckBox("--shell-job: allow a session or terminal outside the tree");
        // the drivers say when it is needed (NEEDS_OPTION naming --shell-job): then it starts checked
        shellJob.setChecked(target.verdict() == CrVerdict.NEEDS_OPTION && target.reason().contains("--shell-job"));
        form.addComponent(shellJob);
        Panel root = new Panel(new LinearLayout(Direction.VERTICAL));
        root.addComponent(form);
        problem = new Label("");
        var err = host.look().style(TopStyles.STATUS_ERROR);
        problem.setForegroundColor(err.getForeground());
        problem.setBackgroundColor(err.getBackground());
        root.addComponent(problem);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(new Button("Dump", this::submit));
        buttons.addComponent(new Button("Cancel", this::close));
        root.addComponent(buttons);
        window = Panels.dialog("Dump " + target.pid(), root);
    }

    public BasicWindow window() {
        return window;
    }

    public TextBox directoryField() {
        return directory;
    }

    public String problemText() {
        return problem.getText();
    }

    public void chooseKill(boolean kill) {
        after.setCheckedItemIndex(kill ? 1 : 0);
    }

    private void close() {
        window.close();
    }

    /** The Dump button: validate, confirm a kill, then dump in the background. */
    public void submit() {
        Optional<String> bad = DumpTarget.problem(directory.getText());
        if (bad.isPresent()) {
            problem.setText(bad.get());
            return;
        }
        problem.setText("");
        Path dir = Path.of(directory.getText().strip());
        boolean kill = KILL.equals(after.getCheckedItem());
        if (kill) {
            Confirm.ask(host, "Kill after dump?", "After the dump, kill pid " + target.pid() + " (" + target.comm() + ")?",
                    "Yes, kill it", () -> start(dir, true));
            return;
        }
        start(dir, false);
    }

    private void start(Path dir, boolean kill) {
        close();
        run(dir, kill);
    }

    public CheckBox shellJobBox() {
        return shellJob;
    }

    private void run(Path dir, boolean kill) {
        ProgressView progress = new ProgressView();
        BasicWindow pw = new BasicWindow("Dumping " + target.pid());
        pw.setHints(List.of(com.googlecode.lanterna.gui2.Window.Hint.CENTERED, com.googlecode.lanterna.gui2.Window.Hint.MODAL));
        pw.setComponent(progress);
        // the progress window is modal: it takes the keys. F10/q still quit jcr-top (the dump is then
        // cancelled cleanly before it exits), Esc cancels the dump alone
        pw.addWindowListener(new com.googlecode.lanterna.gui2.WindowListenerAdapter() {
            @Override
            public void onInput(com.googlecode.lanterna.gui2.Window w, com.googlecode.lanterna.input.KeyStroke key,
                    java.util.concurrent.atomic.AtomicBoolean deliver) {
                var type = key.getKeyType();
                if (type == com.googlecode.lanterna.input.KeyType.F10
                        || (type == com.googlecode.lanterna.input.KeyType.Character && key.getCharacter() == 'q')
                        || type == com.googlecode.lanterna.input.KeyType.EOF) {
                    deliver.set(false);
                    host.quit();
                } else if (type == com.googlecode.lanterna.input.KeyType.Escape) {
                    deliver.set(false);
                    dev.jcr.fault.Cancellation.request("Esc in jcr-top");
                    progress.setPhase("cancelling");
                }
            }
        });
        dev.jcr.fault.Cancellation.reset();
        host.gui().addWindow(pw);
        DumpListener listener = new DumpListener() {
            @Override
            public void phase(DumpPhase phase) {
                host.onGui(() -> progress.setPhase(phase.words()));
            }

            @Override
            public void pages(long written, long total) {
                host.onGui(() -> progress.setPages(written, total));
            }
        };
        host.services().background().execute(() -> {
            try {
                java.nio.file.Files.createDirectories(dir.getParent());
                DumpResult r = host.services().dump().dump(target.pid(), dir, kill, shellJob.isChecked(), listener);
                host.onGui(() -> {
                    pw.close();
                    host.info(r.summary());
                    host.refreshNow();
                });
            } catch (dev.jcr.dump.UnsupportedTreeException u) {
                // as jcr dump prints it: the summary, then the blockers grouped by kind; the status line
                // shows the start, '!' the whole list (one line per "; ")
                List<String> lines = new java.util.ArrayList<>(dev.jcr.app.cli.BlockerText.refusal(u.report()));
                lines.replaceAll(dev.jcr.Quote::controls);
                String text = "dump " + lines.get(0) + " (pid " + target.pid() + " left running)"
                        + (lines.size() > 1 ? "; " + String.join("; ", lines.subList(1, lines.size())) : "");
                host.onGui(() -> {
                    pw.close();
                    host.error(text);
                });
            } catch (RuntimeException e) {
                host.onGui(() -> {
                    pw.close();
                    host.error(Main.oneLine("dump", e) + " (pid " + target.pid() + " left running)");
                });
            } catch (java.io.IOException e) {
                host.onGui(() -> {
                    pw.close();
                    host.error("dump: cannot create " + dir.getParent() + ": " + dev.jcr.image.ImageIoException.why(dir.getParent(), e)
                            + " (nothing was done)");
                });
            }
        });
    }
}
