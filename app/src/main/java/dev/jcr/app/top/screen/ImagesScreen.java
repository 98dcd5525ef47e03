package dev.jcr.app.top.screen;

import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.jcr.app.top.model.StoredImage;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.ui.Cells;
import dev.jcr.app.top.ui.ImageList;
import dev.jcr.app.top.ui.JsonTreeView;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jcr.app.Main;
import dev.jcr.image.ImageReader;
import dev.jcr.show.ImageJson;
import dev.jcr.show.diff.DiffReport;
import dev.jcr.show.diff.DiffText;
import dev.jcr.show.diff.ImageDiff;
import dev.jcr.show.model.Dump;
import dev.jcr.show.summary.Summary;
import dev.jcr.show.text.Palette;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.restore.RestoreResult;
import dev.jcr.app.top.ui.TextView;
import dev.jcr.app.top.ui.TextView.Line;
import dev.jcr.themes.TopStyles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * i: the image directories under the images roots. Enter opens one (its files); Space marks, D diffs two
 * marked images with jcr-show's diff library (what {@code jcr-show diff} prints, in a panel), r restores the
 * selected one detached with core's restore engine (the call {@code jcr restore --detach} makes), after a
 * confirmation. Both run off the GUI thread; failures are one status line with the reason.
 */
public final class ImagesScreen {

    private ImagesScreen() {
    }

    public static BasicWindow create(Host host) {
        ImageStore store = host.services().images();
        ImageList list = new ImageList(store.list(), e -> host.gui().addWindow(open(host, e)));
        BasicWindow w = Panels.expanded("Images in " + String.join(", ", store.roots().stream().map(Path::toString).toList()), list);
        w.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onUnhandledInput(Window basePane, KeyStroke k, AtomicBoolean handled) {
                if (k.getKeyType() != KeyType.Character) {
                    return;
                }
                if (k.getCharacter() == 'D') {
                    handled.set(true);
                    if (list.marked().size() != 2) {
                        host.error("diff: mark exactly two images with Space first (" + list.marked().size() + " marked)");
                    } else {
                        diff(host, list.marked().get(0), list.marked().get(1));
                    }
                } else if (k.getCharacter() == 'r') {
                    handled.set(true);
                    list.selected().ifPresentOrElse(e -> Confirm.ask(host, "Restore?",
                                    "Restore " + e.dir() + " detached (same pids; they must be free)?", "Yes, restore",
                                    () -> restore(host, e)),
                            () -> host.error("restore: no image selected"));
                }
            }
        });
        return w;
    }

    static BasicWindow open(Host host, StoredImage e) {
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of(e.dir().toString(), TopStyles.PANE_TITLE));
        lines.add(Line.of(e.files() + " files, " + Cells.bytes(e.bytes()), TopStyles.PANE));
        if (!e.problem().isEmpty()) {
            lines.add(Line.of("cannot read the images: " + e.problem(), TopStyles.UNSUPPORTED));
        }
        chain(e, lines);
        if (!e.tree().isEmpty()) {
            lines.add(Line.of("", TopStyles.PANE));
            lines.add(Line.of("Processes (" + e.tree().size() + ")", TopStyles.PANE_TITLE));
            lines.add(Line.of("  " + Cells.right("PID", 7) + Cells.right("PPID", 8) + Cells.right("THR", 5) + "  COMM", TopStyles.DIM));
            for (StoredImage.ImagedProcess p : e.tree()) {
                lines.add(Line.of("  " + Cells.right(Integer.toString(p.pid()), 7) + Cells.right(Integer.toString(p.ppid()), 8)
                        + Cells.right(Integer.toString(p.threads()), 5) + "  " + p.comm(), TopStyles.PANE));
            }
        }
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of("Files", TopStyles.PANE_TITLE));
        try (Stream<Path> s = Files.list(e.dir())) {
            for (Path f : s.sorted().toList()) {
                lines.add(Line.action("  " + Cells.right(Cells.bytes(Files.size(f)), 8) + "  " + f.getFileName(), TopStyles.PANE,
                        () -> decode(host, f)));
            }
        } catch (IOException ex) {
            lines.add(Line.of("cannot list " + e.dir() + ": " + ex.getMessage(), TopStyles.UNSUPPORTED));
        }
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of("Enter on a file: the image decoded as a collapsible tree (what jcr-show decode prints)", TopStyles.DIM));
        return Panels.expanded(e.name(), new TextView(lines));
    }

    /**
     * An incremental dump's chain: this directory and its parents, with the pages each supplies (each
     * page from the newest dump that holds it); a pre-dump says it holds memory only.
     */
    static void chain(StoredImage e, List<Line> lines) {
        if (e.preDump()) {
            lines.add(Line.of("a pre-dump: memory only; restore the dump made with --prev-images-dir pointing here",
                    TopStyles.NEEDS_OPTION));
        }
        if (e.parents().isEmpty()) {
            return;
        }
        lines.add(Line.of("", TopStyles.PANE));
        lines.add(Line.of("Chain of parent images", TopStyles.PANE_TITLE));
        try {
            List<Summary.Link> links = new ArrayList<>();
            String problem = Summary.chain(Dump.open(e.dir()), links);
            for (int i = 0; i < links.size(); i++) {
                Summary.Link l = links.get(i);
                lines.add(Line.of("  " + (i == 0 ? "this dump" : "<- " + l.dir()) + (l.preDump() ? " (pre-dump)" : "")
                        + "  " + l.pages() + " pages (" + Cells.bytes(l.pages() * 4096) + ")", TopStyles.PANE));
            }
            if (problem != null) {
                lines.add(Line.of("  broken: " + problem, TopStyles.UNSUPPORTED));
            }
        } catch (RuntimeException ex) {
            lines.add(Line.of("  cannot follow the chain: " + ex.getMessage(), TopStyles.UNSUPPORTED));
        }
    }

    /** Diffs A (before) and B (after) with jcr-show's diff (in the background) and shows DiffText's lines. */
    static void diff(Host host, StoredImage a, StoredImage b) {
        host.info("comparing " + a.name() + " and " + b.name() + " …");
        host.services().background().execute(() -> {
            try {
                DiffReport report = ImageDiff.between(a.dir(), b.dir());
                List<String> text = new DiffText(Palette.NONE, DIFF_RANGES).render(report);
                host.onGui(() -> {
                    host.info(report.same() ? "no differences" : "");
                    List<Line> lines = new ArrayList<>();
                    for (String l : text) {
                        lines.add(Line.of(l, diffStyle(l)));
                    }
                    host.gui().addWindow(Panels.expanded("Diff " + a.name() + " → " + b.name(), new TextView(lines)));
                });
            } catch (RuntimeException ex) {
                host.onGui(() -> host.error(Main.oneLine("diff", ex)));
            }
        });
    }

    /** Page ranges shown per process in the panel (jcr-show diff's default). */
    private static final int DIFF_RANGES = 20;

    private static String diffStyle(String l) {
        String t = l.stripLeading();
        if (t.startsWith("+")) {
            return TopStyles.OK;
        }
        if (t.startsWith("-")) {
            return TopStyles.UNSUPPORTED;
        }
        if (t.startsWith("~")) {
            return TopStyles.NEEDS_OPTION;
        }
        return TopStyles.PANE;
    }

    /** Restores E detached with core's restore engine (in the background); the root pid or the reason. */
    static void restore(Host host, StoredImage e) {
        host.info("restoring " + e.name() + " …");
        host.services().background().execute(() -> {
            try {
                RestoreResult r = new RestoreEngine(null).restore(new RestoreOptions(e.dir(), true, false, null));
                host.onGui(() -> {
                    host.info("restored " + r.pids().size() + (r.pids().size() == 1 ? " process" : " processes")
                            + " from " + e.name() + ", root pid " + r.rootPid());
                    host.refreshNow();
                });
            } catch (RuntimeException ex) {
                host.onGui(() -> host.error(Main.oneLine("restore " + e.name(), ex)));
            }
        });
    }

    /** Decodes FILE with jcr-show's decoder (in the background) and opens it as a tree. */
    static void decode(Host host, Path file) {
        host.info("decoding " + file.getFileName() + " …");
        host.services().background().execute(() -> {
            try (ImageReader reader = ImageReader.open(file)) {
                JsonNode json = ImageJson.decode(reader, true, false);
                host.onGui(() -> {
                    host.info("");
                    host.gui().addWindow(Panels.expanded(file.getFileName() + " (" + json.path("magic").asText() + ")",
                            new JsonTreeView(json)));
                });
            } catch (RuntimeException ex) {
                host.onGui(() -> host.error(Main.oneLine("decode " + file.getFileName(), ex)));
            }
        });
    }
}
