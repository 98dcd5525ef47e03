package dev.jcr.app.top.shot;

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
import dev.jcr.app.top.model.CommandRunner;
import dev.jcr.app.top.model.DumpAction;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.themes.ThemeCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/screenshots [DIR]}: drives the real jcr-top over the live system in a virtual terminal and
 * writes PNGs of its screens (tree in every bundled theme, details, dump dialog, images, help) to DIR
 * (default {@code screenshots/}). A small demo family (a shell with two sleeps) is started so the tree
 * has something recognisable to filter to; it is killed at the end.
 */
public final class Screenshots {

    private static final TerminalSize SIZE = new TerminalSize(120, 34);

    private final Path out;
    private final ScreenshotRenderer renderer = new ScreenshotRenderer(14);
    private final List<Path> written = new ArrayList<>();

    private Screenshots(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args.length > 0 ? args[0] : "screenshots");
        Process demo = new ProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & wait").start();
        Path images = Files.createTempDirectory("jcr-shot-images");
        try {
            Thread.sleep(300);
            Screenshots s = new Screenshots(out);
            s.all(images, demo.pid());
            for (Path p : s.written) {
                System.out.println(p);
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            demo.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(images)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void all(Path images, long demoPid) throws IOException {
        ThemeCatalog catalog = new ThemeCatalog();
        for (String theme : catalog.names()) {
            try (Session s = new Session(catalog, theme, images)) {
                s.filter("sleep 600");
                s.app.table().selectPid(demoPid);
                s.settle();
                shot(s, "tree-" + theme);
            }
        }
        try (Session s = new Session(catalog, ThemeCatalog.DEFAULT, images)) {
            s.app.table().selectPid(ProcessHandle.current().pid());
            s.press(new KeyStroke(KeyType.Enter));
            shot(s, "details");
            s.press(new KeyStroke(KeyType.Escape));
            s.filter("sleep 600");
            s.app.table().selectPid(demoPid);
            s.press(new KeyStroke('d', false, false));
            shot(s, "dump-dialog");
            s.press(new KeyStroke(KeyType.Escape), new KeyStroke('i', false, false));
            shot(s, "images");
            s.press(new KeyStroke(KeyType.Escape), new KeyStroke(KeyType.F1));
            shot(s, "help");
        }
    }

    private void shot(Session s, String name) throws IOException {
        Path png = out.resolve(name + ".png");
        renderer.write(s.terminal, png);
        written.add(png);
    }

    /** jcr-top in a virtual terminal, driven on this thread. */
    private static final class Session implements AutoCloseable {
        final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(SIZE);
        final TerminalScreen screen;
        final MultiWindowTextGUI gui;
        final TopApp app;

        Session(ThemeCatalog catalog, String theme, Path images) throws IOException {
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
            ImageStore store = new ImageStore(List.of(ImageStore.defaultRoot()));
            TopServices services = new TopServices(TopMain.liveSource(store), store, DumpAction.notInThisBuild(),
                    new SignalSender(), new CommandRunner(), catalog, Runnable::run);
            app = new TopApp(gui, services, catalog.load(theme));
            app.refreshNow();
            settle();
        }

        void filter(String text) throws IOException {
            press(new KeyStroke('\\', false, false));
            for (char c : text.toCharArray()) {
                press(new KeyStroke(c, false, false));
            }
            press(new KeyStroke(KeyType.Enter));
        }

        void press(KeyStroke... keys) throws IOException {
            for (KeyStroke k : keys) {
                terminal.addInput(k);
                settle();
            }
        }

        void settle() throws IOException {
            for (int i = 0; i < 10; i++) {
                gui.getGUIThread().processEventsAndUpdate();
            }
            gui.updateScreen();
        }

        @Override
        public void close() throws IOException {
            screen.stopScreen();
        }
    }
}
