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
import dev.jcr.dump.DumpListener;
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

    private final List<Path> imageRoots;

    private Screenshots(Path out, List<Path> imageRoots) {
        this.out = out;
        this.imageRoots = imageRoots;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args.length > 0 ? args[0] : "screenshots");
        // further arguments: image roots for the images browser (bin/screenshots passes the CRIU vectors when present)
        // copied under a neutral temporary root so no path of the build machine shows in the pictures
        Path shown = Files.createTempDirectory("jcr-screenshots").resolve("images");
        Files.createDirectories(shown);
        for (int i = 1; i < args.length; i++) {
            copyDumps(Path.of(args[i]), shown);
        }
        demoDumps(shown);
        List<Path> roots = List.of(shown, ImageStore.defaultRoot());
        Process demo = new ProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & wait").directory(new java.io.File("/tmp")).start();
        try {
            Thread.sleep(300);
            Screenshots s = new Screenshots(out, roots);
            s.all(demo.pid());
            for (Path p : s.written) {
                System.out.println(p);
            }
        } finally {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            demo.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(shown.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Two dumps of a small Python loop whose counter moves between them, for the diff panel's picture;
     * left out (with a note on stderr) when the dump is refused here.
     */
    private static void demoDumps(Path root) throws Exception {
        // setsid -f: the loop is reparented to init, away from the JVM's reaper (which would steal ptrace
        // stops); it writes its pid to a file, as the JVM closes the pipe of a child that exited (setsid)
        Path pidFile = root.getParent().resolve("counter.pid");
        new ProcessBuilder("setsid", "-f", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3", "-c",
                "import os, sys, time\nopen(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))\n"
                        + "os.rename(sys.argv[1] + '.tmp', sys.argv[1])\nn = [0]\n"
                        + "while True:\n    n[0] += 1\n    time.sleep(0.05)\n", pidFile.toString())
                .directory(new java.io.File("/tmp")).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100 && !Files.exists(pidFile); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(pidFile)) {
            System.err.println("no diff screenshot: the python3 loop did not start");
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        try {
            Thread.sleep(500);
            DumpAction dump = DumpAction.engine();
            dump.dump(pid, root.resolve("counter-before"), false, false, DumpListener.NONE);
            Thread.sleep(300);
            dump.dump(pid, root.resolve("counter-after"), false, false, DumpListener.NONE);
        } catch (RuntimeException ex) {
            System.err.println("no diff screenshot: " + ex.getMessage());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static void copyDumps(Path from, Path to) throws IOException {
        try (var dirs = Files.list(from)) {
            for (Path d : dirs.filter(d -> Files.isRegularFile(d.resolve("pstree.img"))).sorted().toList()) {
                Path target = Files.createDirectories(to.resolve(d.getFileName()));
                try (var files = Files.list(d)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    private void all(long demoPid) throws IOException {
        ThemeCatalog catalog = new ThemeCatalog();
        for (String theme : catalog.names()) {
            try (Session s = new Session(catalog, theme, imageRoots)) {
                s.filter("sleep 600");
                s.app.table().selectPid(demoPid);
                s.settle();
                shot(s, "tree-" + theme);
            }
        }
        try (Session s = new Session(catalog, ThemeCatalog.DEFAULT, imageRoots)) {
            s.filter("sleep 600");
            s.app.table().selectPid(demoPid);
            s.press(new KeyStroke(KeyType.Enter));
            shot(s, "details");
            s.press(new KeyStroke(KeyType.Escape));
            s.press(new KeyStroke('d', false, false));
            shot(s, "dump-dialog");
            s.press(new KeyStroke(KeyType.Escape), new KeyStroke('i', false, false));
            shot(s, "images");
            if (Files.isDirectory(imageRoots.get(0).resolve("counter-after"))) { // newest first: after, then before
                s.press(new KeyStroke(KeyType.ArrowDown), new KeyStroke(' ', false, false), new KeyStroke(KeyType.ArrowUp),
                        new KeyStroke(' ', false, false), new KeyStroke('D', false, false));
                shot(s, "image-diff");
                s.press(new KeyStroke(KeyType.Escape));
            }
            s.press(new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.ArrowDown), new KeyStroke(KeyType.Enter));
            shot(s, "image-open");
            s.press(new KeyStroke(KeyType.Enter));
            for (int i = 0; i < 6; i++) {
                s.press(new KeyStroke(KeyType.ArrowDown));
            }
            s.press(new KeyStroke(KeyType.ArrowRight));
            shot(s, "image-decoded");
            s.press(new KeyStroke(KeyType.Escape), new KeyStroke(KeyType.Escape));
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

        Session(ThemeCatalog catalog, String theme, List<Path> roots) throws IOException {
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen);
            ImageStore store = new ImageStore(roots);
            TopServices services = new TopServices(TopMain.liveSource(store), store, DumpAction.engine(),
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
