package dev.jcr.app.top.bench;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.jcr.app.top.TopApp;
import dev.jcr.app.top.TopMain;
import dev.jcr.app.top.TopServices;
import dev.jcr.app.top.model.AnalyzerSource;
import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.ProcessSource;
import dev.jcr.app.top.model.RowArranger;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.app.top.model.Snapshot;
import dev.jcr.app.top.model.ViewSettings;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessTree;
import dev.jcr.themes.ThemeCatalog;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * bench/top.sh's measuring half. Times, after warm-up, with medians and p90 over many runs:
 * <ul>
 *   <li>refresh = scan (every process with its verdict) + model update (tree arrangement), as a
 *       background refresh does it (reports kept from earlier scans; new, changed, the selection and a
 *       round-robin share re-analysed), against the baseline of only reading every /proc/PID/stat; also
 *       the first refresh (every process analysed) and core's process list alone;</li>
 *   <li>GUI-thread apply of a finished scan (what a refresh costs the key handling);</li>
 *   <li>one full render of the main screen into a 200x60 virtual terminal, against rendering the same
 *       screen with no rows (Lanterna's own floor);</li>
 *   <li>key latency (key queued → handled and redrawn) while refreshes run back to back in the
 *       background, against key latency with no refresh running.</li>
 * </ul>
 */
public final class TopBench {

    private static final int WARMUP = 15;
    private static final int RUNS = 40;

    public static void main(String[] args) throws Exception {
        ImageStore store = new ImageStore(List.of(ImageStore.defaultRoot()));
        ProcessSource source = TopMain.liveSource(store);
        Snapshot snap = source.scan();
        System.out.printf("processes on the machine: %d%n", snap.processes().size());

        long focus = ProcessHandle.current().pid();
        AnalyzerSource live = (AnalyzerSource) source;
        int[] analysed = new int[1];
        // interleaved: each round times every variant once, so a load that comes and goes (a shared machine)
        // weighs on all of them alike and the ratios stay meaningful
        Stats[] st = interleaved(List.of(
                TopBench::readAllStat,
                () -> {
                    Snapshot sn = source.scan(focus);
                    analysed[0] = Math.max(analysed[0], live.analysedLastScan());
                    return RowArranger.arrange(sn.processes(), ViewSettings.initial()).size();
                },
                () -> {
                    Snapshot sn = TopMain.liveSource(store).scan(focus);
                    return RowArranger.arrange(sn.processes(), ViewSettings.initial()).size();
                },
                () -> ProcessTree.scan(ProcFs.system()).size(),
                () -> {
                    Snapshot sn = source.quickScan();
                    return RowArranger.arrange(sn.processes(), ViewSettings.initial()).size();
                }));
        Stats raw = st[0];
        Stats refresh = st[1];
        Stats cold = st[2];
        Stats list = st[3];
        Stats quick = st[4];
        report("refresh (scan + model update)", refresh, "baseline: read every /proc/PID/stat", raw);
        System.out.printf("  (a refresh re-analysed at most %d of %d processes; the others kept their reports)%n",
                analysed[0], snap.processes().size());
        report("first refresh (every process analysed)", cold, "baseline: read every /proc/PID/stat", raw);
        report("core's process list alone (ProcessTree)", list, "baseline: read every /proc/PID/stat", raw);
        report("first pass (list, verdicts known so far)", quick, "baseline: read every /proc/PID/stat", raw);

        DefaultVirtualTerminal term = new DefaultVirtualTerminal(new TerminalSize(200, 60));
        TerminalScreen screen = new TerminalScreen(term);
        screen.startScreen();
        MultiWindowTextGUI gui = dev.jcr.app.top.screen.TopWindowManager.gui(screen);
        ThemeCatalog catalog = new ThemeCatalog();
        TopServices services = new TopServices(source, store, DumpAction.engine(), new SignalSender(),
                new CommandRunner(), catalog, Runnable::run);
        TopApp app = new TopApp(gui, services, catalog.load(ThemeCatalog.DEFAULT));
        Snapshot empty = new Snapshot(snap.takenAt(), snap.host(), snap.kernel(), List.of(), 0);

        Stats apply = time(() -> {
            app.apply(snap);
            return 0;
        });
        Stats render = time(() -> {
            app.table().invalidate();
            redraw(gui);
            return 0;
        });
        app.apply(empty);
        Stats renderEmpty = time(() -> {
            app.table().invalidate();
            redraw(gui);
            return 0;
        });
        app.apply(snap);
        report("render of the main screen (200x60)", render, "baseline: same screen, no rows", renderEmpty);
        report("GUI-thread apply of a scan", apply, "baseline: same render", render);

        Stats idleKeys = keyLatency(gui, term);
        AtomicBoolean stop = new AtomicBoolean();
        Thread refresher = new Thread(() -> {
            while (!stop.get()) {
                Snapshot s = source.scan(focus);
                gui.getGUIThread().invokeLater(() -> app.apply(s));
            }
        }, "bench-refresh");
        refresher.setDaemon(true);
        refresher.start();
        Stats busyKeys = keyLatency(gui, term);
        stop.set(true);
        refresher.join();
        report("key latency during back-to-back refreshes", busyKeys, "baseline: key latency, no refresh", idleKeys);
        screen.stopScreen();
    }

    private static Stats keyLatency(MultiWindowTextGUI gui, DefaultVirtualTerminal term) throws IOException {
        return time(() -> {
            term.addInput(new KeyStroke(KeyType.ArrowDown));
            try {
                // includes any pending refresh apply queued before the key: that is the wait a user sees
                gui.getGUIThread().processEventsAndUpdate();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return 0;
        });
    }

    private static void redraw(MultiWindowTextGUI gui) {
        try {
            gui.updateScreen();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long readAllStat() {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                if (Character.isDigit(p.getFileName().toString().charAt(0))) {
                    try {
                        n += Files.readAllBytes(p.resolve("stat")).length;
                    } catch (IOException e) {
                        // vanished
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }

    record Stats(double medianMs, double p90Ms) {
    }

    private static Stats time(LongSupplier work) {
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += work.getAsLong();
        }
        List<Long> ns = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            sink += work.getAsLong();
            ns.add(System.nanoTime() - t0);
        }
        if (sink == 42) {
            System.out.print("");
        }
        Collections.sort(ns);
        return new Stats(ns.get(ns.size() / 2) / 1e6, ns.get(ns.size() * 9 / 10) / 1e6);
    }

    /** Times every WORK once per round (after WARMUP rounds), RUNS rounds; one Stats per work, in order. */
    private static Stats[] interleaved(List<LongSupplier> works) {
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            for (LongSupplier w : works) {
                sink += w.getAsLong();
            }
        }
        List<List<Long>> ns = new ArrayList<>();
        works.forEach(w -> ns.add(new ArrayList<>()));
        for (int i = 0; i < RUNS; i++) {
            for (int k = 0; k < works.size(); k++) {
                long t0 = System.nanoTime();
                sink += works.get(k).getAsLong();
                ns.get(k).add(System.nanoTime() - t0);
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        Stats[] out = new Stats[works.size()];
        for (int k = 0; k < out.length; k++) {
            List<Long> l = ns.get(k);
            Collections.sort(l);
            out[k] = new Stats(l.get(l.size() / 2) / 1e6, l.get(l.size() * 9 / 10) / 1e6);
        }
        return out;
    }

    private static void report(String what, Stats s, String baseName, Stats base) {
        System.out.printf("%-45s median %8.2f ms  p90 %8.2f ms   %-40s median %8.2f ms   ratio %6.2fx%n",
                what, s.medianMs(), s.p90Ms(), baseName, base.medianMs(), s.medianMs() / base.medianMs());
    }
}
