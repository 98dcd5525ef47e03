package dev.jcr.app.top;

import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import dev.jcr.app.ExitCode;
import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.AnalyzerSource;
import dev.jcr.proc.ProcFs;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.themes.JcrTheme;
import dev.jcr.themes.ThemeCatalog;
import dev.jcr.themes.ThemeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jcr-top}: the terminal workbench. Parses options, sets up the terminal, runs the event loop. */
@Command(name = "jcr-top", mixinStandardHelpOptions = true, version = "jcr-top 0.1.0",
        description = {"Watch processes with their checkpoint/restore verdicts.",
                "%nAn htop-like terminal UI: the live process tree, the reasons behind each verdict, dumps, the images"
                        + " browser with decoded images and diffs. Press F1 inside for the keys."})
public final class TopMain implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--delay", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between background refreshes (default: ${DEFAULT-VALUE}).")
    double delay;

    @Option(names = "--theme", paramLabel = "NAME|FILE", defaultValue = ThemeCatalog.DEFAULT,
            description = "Bundled theme name (see --list-themes) or a .properties theme file (default: ${DEFAULT-VALUE}).")
    String theme;

    @Option(names = "--list-themes", description = "List the bundled themes and exit.")
    boolean listThemes;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Images root for new dumps, listed besides the default ~/.local/share/jcr/images.")
    Path images;

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        TopMain top = new TopMain();
        top.out = out;
        top.err = err;
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("jcr-top: " + ex.getMessage());
            err.println("Try 'jcr-top --help'.");
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            err.println(dev.jcr.app.Main.oneLine("jcr-top", ex));
            return ExitCode.INTERNAL.code;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ThemeCatalog catalog = new ThemeCatalog();
        if (listThemes) {
            for (Map.Entry<String, String> e : catalog.bundled().entrySet()) {
                out.printf("%-6s %s%s%n", e.getKey(), e.getValue(), e.getKey().equals(ThemeCatalog.DEFAULT) ? " (default)" : "");
            }
            out.println("A theme file can be given by path: jcr-top --theme my-theme.properties");
            return ExitCode.OK.code;
        }
        if (!(delay >= 0.1 && delay <= 3600)) {
            err.println("jcr-top: --delay must be between 0.1 and 3600 seconds, got " + delay);
            return ExitCode.USAGE.code;
        }
        JcrTheme chosen;
        try {
            chosen = catalog.load(theme);
        } catch (ThemeException e) {
            err.println("jcr-top: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        if (System.console() == null) {
            err.println("jcr-top: needs an interactive terminal (stdin and stdout must be a tty)");
            return ExitCode.USAGE.code;
        }
        List<Path> roots = new ArrayList<>();
        if (images != null) {
            roots.add(images.toAbsolutePath());
        }
        roots.add(ImageStore.defaultRoot());
        ImageStore store = new ImageStore(roots);
        return run(catalog, chosen, store) ? ExitCode.CANCELLED.code : ExitCode.OK.code;
    }

    /**
     * Runs the UI until it is quit (q, F10) or jcr-top gets SIGHUP (its terminal closed) or SIGTERM.
     * Returns true when a dump or restore was still running then: it is cancelled and waited for, so
     * that its target runs on unharmed and no partial image directory remains (exit 130).
     */
    private boolean run(ThemeCatalog catalog, JcrTheme chosen, ImageStore store) throws IOException, InterruptedException {
        java.util.concurrent.atomic.AtomicReference<String> closing = new java.util.concurrent.atomic.AtomicReference<>();
        Map<String, sun.misc.SignalHandler> previous = new java.util.LinkedHashMap<>();
        for (String s : List.of("HUP", "TERM")) {
            try {
                previous.put(s, sun.misc.Signal.handle(new sun.misc.Signal(s), sig -> closing.set("SIG" + sig.getName())));
            } catch (IllegalArgumentException e) {
                // kept by the JVM: its default applies
            }
        }
        dev.jcr.fault.Cancellation.reset();
        boolean[] busy = {false};
        Terminal terminal = new DefaultTerminalFactory().setForceTextTerminal(true).createTerminal();
        Screen screen = new TerminalScreen(terminal);
        ExecutorService background = Executors.newSingleThreadExecutor(daemon("jcr-top-work"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("jcr-top-refresh"));
        screen.startScreen();
        Thread restore = new Thread(() -> stopQuietly(screen));
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            MultiWindowTextGUI gui = dev.jcr.app.top.screen.TopWindowManager.gui(screen);
            TopServices services = new TopServices(liveSource(store), store,
                    DumpAction.engine(), new SignalSender(), new CommandRunner(), catalog, background);
            TopApp app = new TopApp(gui, services, chosen);
            ticker.scheduleWithFixedDelay(app::refreshNow, 0, (long) (delay * 1000), TimeUnit.MILLISECONDS);
            while (app.running() && closing.get() == null) {
                if (!gui.getGUIThread().processEventsAndUpdate()) {
                    Thread.sleep(5);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (closing.get() == null) {
                throw e;
            }
            // the terminal went away (SIGHUP): end as if quit
        } finally {
            ticker.shutdownNow();
            busy[0] = dev.jcr.fault.Cancellation.running() > 0;
            if (busy[0]) {
                // a dump (or restore) in the background: end it cleanly before the JVM goes
                dev.jcr.fault.Cancellation.request(closing.get() != null ? closing.get() : "jcr-top closed");
                background.shutdown();
                background.awaitTermination(120, TimeUnit.SECONDS);
            }
            background.shutdownNow();
            stopQuietly(screen);
            Runtime.getRuntime().removeShutdownHook(restore);
            previous.forEach((s, h) -> sun.misc.Signal.handle(new sun.misc.Signal(s), h));
        }
        return busy[0];
    }

    /** The process data jcr-top shows: the live system, verdicts from the drivers. */
    public static dev.jcr.app.top.model.ProcessSource liveSource(ImageStore store) {
        return new AnalyzerSource(ProcFs.system(), store);
    }

    private static void stopQuietly(Screen screen) {
        try {
            screen.stopScreen();
        } catch (IOException | RuntimeException e) {
            // the terminal is gone already
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
