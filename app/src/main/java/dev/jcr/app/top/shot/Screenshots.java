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
import dev.jcr.dump.DumpPhase;
import dev.jcr.dump.DumpResult;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.SignalSender;
import dev.jcr.themes.ThemeCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/screenshots [DIR]}: drives the real jcr-top over the live system in a virtual terminal and
 * writes PNGs of its screens (tree in every bundled theme, details, the details pane, dump dialog, a dump in progress,
 * images, diff, help) to DIR
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
        // further arguments: image roots for the images browser (bin/screenshots passes the CRIU vectors)
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
        Path script = root.getParent().resolve("counter.py");
        Files.writeString(script, "import os, sys, time\n" + WRITE_PID + "n = [0]\n"
                + "while True:\n    n[0] += 1\n    time.sleep(0.05)\n");
        Path pidFile = root.getParent().resolve("counter.pid");
        if (!startDetachedPython(script, pidFile)) {
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

    /** A python3 line that writes its pid to argv[1] atomically (the file appears once the pid is in it). */
    private static final String WRITE_PID = "open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))\n"
            + "os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n";

    /**
     * Starts python3 SCRIPT PIDFILE with setsid -f: reparented to init, away from the JVM's reaper (which
     * would steal ptrace stops from a dump); the script writes its pid to PIDFILE (the JVM closes the pipe of
     * a child that exited, so the pid cannot come back on stdout). False when it did not within 20 s.
     */
    private static boolean startDetachedPython(Path script, Path pidFile) throws IOException, InterruptedException {
        new ProcessBuilder("setsid", "-f", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3",
                script.toString(), pidFile.toString())
                .directory(new java.io.File("/tmp")).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        for (int i = 0; i < 400 && !Files.exists(pidFile); i++) {
            Thread.sleep(50);
        }
        return Files.exists(pidFile);
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

    private void all(long demoPid) throws Exception {
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
        // the details side pane needs a wide terminal
        try (Session s = new Session(catalog, ThemeCatalog.DEFAULT, imageRoots, DumpAction.engine(), Runnable::run,
                new TerminalSize(170, 34))) {
            s.filter("sleep 600");
            s.app.table().selectPid(demoPid);
            s.press(new KeyStroke('p', false, false));
            shot(s, "details-pane");
        }
        dumpInProgress(catalog);
    }

    /**
     * A dump in progress: a real dump of a python3 process holding 256 MiB of touched memory, held (by the
     * listener between the engine and the dialog) once half its pages are written, so the picture shows the
     * real progress window at a real state of a real dump; then released and finished. The process and its
     * dump are removed afterwards.
     */
    private void dumpInProgress(ThemeCatalog catalog) throws Exception {
        Path work = Files.createTempDirectory("jcr-screenshots");
        Path script = work.resolve("memory-demo.py");
        Files.writeString(script, "import os, sys, time\nb = bytearray(b'j') * (256 << 20)\n" + WRITE_PID
                + "while True:\n    time.sleep(1)\n");
        Path pidFile = work.resolve("memory-demo.pid");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        long pid = -1;
        try {
            if (!startDetachedPython(script, pidFile)) {
                System.err.println("no dump-in-progress screenshot: the python3 process did not start");
                return;
            }
            pid = Long.parseLong(Files.readString(pidFile).strip());
            HeldDump held = new HeldDump(DumpAction.engine());
            HandOff background = new HandOff();
            Path images = Files.createDirectories(work.resolve("images"));
            try (Session s = new Session(catalog, ThemeCatalog.DEFAULT, List.of(images), held, background, SIZE)) {
                s.filter("memory-demo");
                s.app.table().selectPid(pid);
                s.settle();
                s.press(new KeyStroke('d', false, false));
                background.target = pool; // the dump runs on its own thread, as in jcr-top
                // directory, after, options, then the Dump button
                s.press(new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab), new KeyStroke(KeyType.Tab),
                        new KeyStroke(KeyType.Enter));
                if (!held.midway.await(60, TimeUnit.SECONDS)) {
                    System.err.println("no dump-in-progress screenshot: the dump did not reach half its pages"
                            + " (status: " + s.app.status().lastMessage() + ")");
                    return;
                }
                s.settle(); // the progress events queued for the GUI thread
                shot(s, "dump-progress");
                held.release.countDown();
                for (int i = 0; i < 600 && s.app.status().lastMessage().isEmpty(); i++) {
                    Thread.sleep(100);
                    s.settle();
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Background work run directly (synchronous screens) until TARGET is switched to a real thread. */
    private static final class HandOff implements Executor {
        volatile Executor target = Runnable::run;

        @Override
        public void execute(Runnable r) {
            target.execute(r);
        }
    }

    /**
     * The real dump engine whose progress, once half the pages are written (and before the last), is held
     * until {@link #release}: the dump thread waits inside the listener call, the target stays frozen.
     */
    private static final class HeldDump implements DumpAction {
        final CountDownLatch midway = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final DumpAction engine;

        HeldDump(DumpAction engine) {
            this.engine = engine;
        }

        @Override
        public DumpResult dump(long pid, Path dir, boolean kill, boolean shellJob, DumpListener listener) {
            return engine.dump(pid, dir, kill, shellJob, new DumpListener() {
                @Override
                public void phase(DumpPhase phase) {
                    listener.phase(phase);
                }

                @Override
                public void pages(long written, long total) {
                    listener.pages(written, total);
                    if (total > 0 && written * 2 >= total && written < total && midway.getCount() > 0) {
                        midway.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
        }
    }

    private void shot(Session s, String name) throws IOException {
        Path png = out.resolve(name + ".png");
        renderer.write(s.terminal, png);
        written.add(png);
    }

    /** jcr-top in a virtual terminal, driven on this thread. */
    private static final class Session implements AutoCloseable {
        final DefaultVirtualTerminal terminal;
        final TerminalScreen screen;
        final MultiWindowTextGUI gui;
        final TopApp app;

        Session(ThemeCatalog catalog, String theme, List<Path> roots) throws IOException {
            this(catalog, theme, roots, DumpAction.engine(), Runnable::run, SIZE);
        }

        /** With DUMP as the dump engine and BACKGROUND running the background work (direct: synchronous). */
        Session(ThemeCatalog catalog, String theme, List<Path> roots, DumpAction dump, Executor background,
                TerminalSize size) throws IOException {
            terminal = new DefaultVirtualTerminal(size);
            screen = new TerminalScreen(terminal);
            screen.startScreen();
            gui = dev.jcr.app.top.screen.TopWindowManager.gui(screen);
            ImageStore store = new ImageStore(roots);
            TopServices services = new TopServices(TopMain.liveSource(store), store, dump,
                    new SignalSender(), new CommandRunner(), catalog, background);
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
