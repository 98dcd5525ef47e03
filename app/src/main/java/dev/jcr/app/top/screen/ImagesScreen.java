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
 * marked images, r restores the selected one — the last two through the image library and the restore
 * engine, which say so in the status line while they are not in this build.
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
                        host.error("diff: jcr-show's diff is not in this build yet; nothing was compared");
                    }
                } else if (k.getCharacter() == 'r') {
                    handled.set(true);
                    host.error("restore: the restore engine is not in this build yet; nothing was done");
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
