package dev.jcr.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The crashcheck fixture (patterns in registers and memory, three kinds of interrupted syscall) as a
 * tree of processes, with the test's own view of what "unharmed" means: every process alive, running
 * (not stopped, not traced), with exactly its threads, children, descriptors and mappings, and a check
 * round in which every thread finds its registers and every process its memory intact.
 */
public final class CrashTarget implements AutoCloseable {

    /** The shapes the fault loops run on: a process, a multi-threaded one, a small tree (and a bigger one). */
    public enum Shape {
        PLAIN(0, 0, 4), THREADED(3, 0, 4), TREE(1, 2, 2),
        /** For dumps that last a little: 32 MiB of memory to copy. */
        THREADED_BIG(3, 0, 32);

        public final int threads;
        public final int children;
        public final int mib;

        Shape(int threads, int children, int mib) {
            this.threads = threads;
            this.children = children;
            this.mib = mib;
        }
    }

    /** What a process looked like before a run. */
    private record Snapshot(List<Integer> tasks, List<Integer> children, long fds, String maps) {
    }

    public final Shape shape;
    private final LiveProcess root;
    private final List<Integer> pids = new ArrayList<>();
    private final Map<Integer, Integer> rounds = new LinkedHashMap<>();
    private Map<Integer, Snapshot> before;

    public CrashTarget(Shape shape) {
        this.shape = shape;
        this.root = Fixture.startWithFlags("crashcheck", List.of("-pthread"), Integer.toString(shape.threads),
                Integer.toString(shape.children), Integer.toString(shape.mib));
        pids.add((int) root.pid());
        for (String line : root.stdout().split("\n")) {
            if (line.startsWith("CHILD ")) {
                pids.add(Integer.parseInt(line.substring(6).trim()));
            }
        }
        for (int pid : pids) {
            root.awaitOutput("READY " + pid + "\n", Duration.ofSeconds(20));
            rounds.put(pid, 0);
        }
        // every thread of every process waits in its loop before anything is measured
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!allThreadsStarted() && System.nanoTime() < deadline) {
            sleep(10);
        }
    }

    private boolean allThreadsStarted() {
        for (int pid : pids) {
            if (tasks(pid).size() != shape.threads + 1) {
                return false;
            }
        }
        return true;
    }

    public int pid() {
        return pids.get(0);
    }

    public List<Integer> pids() {
        return List.copyOf(pids);
    }

    /** Remembers threads, children, descriptors and mappings of every process, before a run. */
    public void snapshot() {
        before = new LinkedHashMap<>();
        for (int pid : pids) {
            before.put(pid, new Snapshot(tasks(pid), children(pid), fdCount(pid), read(pid, "maps")));
        }
    }

    /**
     * Asserts the tree is unharmed after a run (WHAT names it in messages). Waits (bounded) for the
     * kernel's detach and for a helper thread to end itself, then checks everything against the
     * snapshot and runs a check round. With MAY_KEEP_AREA, new anonymous private mappings (the page
     * drain's small area, which can remain when jcr dies while it exists) are allowed; any other
     * change of the mappings fails.
     */
    public void assertUnharmed(String what, boolean mayKeepArea) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String why;
        while ((why = notSettled()) != null && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (why != null) {
            throw new AssertionError(what + ": " + why + "\n" + root.stdout());
        }
        for (int pid : pids) {
            Snapshot s = before.get(pid);
            assertEq(what + ": threads of " + pid, s.tasks(), tasks(pid));
            assertEq(what + ": children of " + pid, s.children(), children(pid));
            assertEq(what + ": open descriptors of " + pid, s.fds(), fdCount(pid));
            String maps = read(pid, "maps");
            if (!maps.equals(s.maps())) {
                List<String> added = new ArrayList<>(List.of(maps.split("\n")));
                added.removeAll(List.of(s.maps().split("\n")));
                List<String> removed = new ArrayList<>(List.of(s.maps().split("\n")));
                removed.removeAll(List.of(maps.split("\n")));
                boolean onlyAnonymous = added.stream().allMatch(CrashTarget::anonymous)
                        && removed.stream().allMatch(CrashTarget::anonymous);
                long grown = size(added) - size(removed);
                if (!(mayKeepArea && onlyAnonymous && grown >= 0 && grown <= (1 << 20))) {
                    throw new AssertionError(what + ": mappings of " + pid + " changed\n added " + added + "\n removed "
                            + removed);
                }
            }
        }
        checkRound(what);
    }

    /** A private anonymous mapping line of /proc/PID/maps (no file, no name). */
    private static boolean anonymous(String line) {
        String[] f = line.trim().split("\\s+");
        return f.length == 5 && f[1].endsWith("p") && f[4].equals("0");
    }

    private static long size(List<String> lines) {
        long n = 0;
        for (String l : lines) {
            String[] r = l.substring(0, l.indexOf(' ')).split("-");
            n += Long.parseUnsignedLong(r[1], 16) - Long.parseUnsignedLong(r[0], 16);
        }
        return n;
    }

    /**
     * For a restored tree (whose mappings and descriptors are new objects): every process alive,
     * running and untraced with its threads, and a check round passes.
     */
    public void assertRestoredAndIntact(String what) {
        before = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        String why;
        while ((why = notSettled()) != null && System.nanoTime() < deadline) {
            sleep(20);
        }
        if (why != null) {
            throw new AssertionError(what + ": " + why + "\n" + root.stdout());
        }
        for (int pid : pids) {
            if (tasks(pid).size() != shape.threads + 1) {
                throw new AssertionError(what + ": process " + pid + " has threads " + tasks(pid));
            }
        }
        checkRound(what);
    }

    /** Null when every process is alive, running and untraced with all its threads; else what is not. */
    private String notSettled() {
        for (int pid : pids) {
            List<Integer> tasks = tasks(pid);
            if (tasks.isEmpty()) {
                return "process " + pid + " is gone";
            }
            for (int tid : tasks) {
                char st = state(pid, tid);
                if (st == 'Z' || st == 'X') {
                    return "process " + pid + " (thread " + tid + ") died: state " + st;
                }
                if (st == 't' || st == 'T') {
                    return "thread " + tid + " of " + pid + " is stopped (state " + st + ")";
                }
                int tracer = tracerPid(tid);
                if (tracer != 0) {
                    return "thread " + tid + " of " + pid + " is still traced by " + tracer;
                }
            }
            if (before != null && !tasks.equals(before.get(pid).tasks())) {
                return "process " + pid + " has threads " + tasks + ", had " + before.get(pid).tasks();
            }
        }
        return null;
    }

    /** SIGUSR2 to every process; every thread must report its registers (and main its memory) intact. */
    public void checkRound(String what) {
        for (int pid : pids) {
            rounds.merge(pid, 1, Integer::sum);
            signal(pid, "USR2");
        }
        for (int pid : pids) {
            for (int t = 0; t <= shape.threads; t++) {
                String pass = "ROUND " + rounds.get(pid) + " " + pid + " t" + t + " ";
                String out = awaitLine(pass, what);
                String line = out.substring(out.indexOf(pass));
                line = line.substring(0, line.indexOf('\n'));
                if (!line.endsWith("PASS")) {
                    throw new AssertionError(what + ": " + line + "\n" + root.stdout());
                }
            }
        }
    }

    /** The check rounds each process has done (restored processes continue from their image's count). */
    public Map<Integer, Integer> rounds() {
        return new LinkedHashMap<>(rounds);
    }

    public void rounds(Map<Integer, Integer> r) {
        rounds.clear();
        rounds.putAll(r);
    }

    /**
     * Cuts the fixture's output file back to SIZE bytes: a restored process writes on at the offset
     * its image recorded, so lines a previous restore of the same image wrote there must go, or a
     * check round could read them as its own.
     */
    public void truncateOutput(long size) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(root.dir().resolve("out"),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public long outputSize() {
        try {
            return Files.size(root.dir().resolve("out"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Null when no process of the tree exists any more (waits, bounded: init reaps orphans slowly); else who lives. */
    public String awaitAllGone() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Integer> alive = new ArrayList<>();
            for (int pid : pids) {
                if (Files.exists(Path.of("/proc/" + pid))) {
                    alive.add(pid);
                }
            }
            if (alive.isEmpty()) {
                return null;
            }
            sleep(20);
        }
        List<String> alive = new ArrayList<>();
        for (int pid : pids) {
            if (Files.exists(Path.of("/proc/" + pid))) {
                alive.add(pid + " (" + read(pid, "stat").trim() + ")");
            }
        }
        return alive.isEmpty() ? null : "still there: " + alive;
    }

    /** Kills every process of the tree (e.g. a restored one) and waits until all are gone. */
    public void killAll() {
        for (int pid : pids) {
            signal(pid, "KILL");
        }
        String left = awaitAllGone();
        if (left != null) {
            throw new AssertionError(left);
        }
    }

    /** The last round: every process verifies once more and exits with PASS. */
    public void finish() {
        for (int pid : pids) {
            signal(pid, "USR1");
        }
        for (int pid : pids) {
            String out = awaitLine("PASS " + pid + "\n", "final round");
            if (out.contains("FAIL")) {
                throw new AssertionError("final round: " + out);
            }
        }
    }

    private String awaitLine(String text, String what) {
        long deadline = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = root.stdout();
            if (out.contains(text)) {
                return out;
            }
            sleep(5);
        }
        throw new AssertionError(what + ": no '" + text.trim() + "' within " + LiveProcess.MIN_WAIT + "\n" + root.stdout());
    }

    public String stdout() {
        return root.stdout();
    }

    @Override
    public void close() {
        for (int pid : pids.subList(1, pids.size())) {
            signal(pid, "KILL");
        }
        root.close();
        for (int pid : pids) {
            LiveProcess.awaitGone(pid, Duration.ofSeconds(10));
        }
    }

    // ---------------------------------------------------------------- /proc, independent of jcr's code

    static List<Integer> tasks(int pid) {
        TreeSet<Integer> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            s.forEach(p -> out.add(Integer.parseInt(p.getFileName().toString())));
        } catch (IOException e) {
            // gone
        }
        return new ArrayList<>(out);
    }

    static List<Integer> children(int pid) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int tid : tasks(pid)) {
            for (String c : read(pid, "task/" + tid + "/children").trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    out.add(Integer.parseInt(c));
                }
            }
        }
        return new ArrayList<>(out);
    }

    static char state(int pid, int tid) {
        String s = read(pid, "task/" + tid + "/stat");
        return s.isEmpty() ? 'X' : s.charAt(s.lastIndexOf(')') + 2);
    }

    static int tracerPid(int tid) {
        for (String line : read(tid, "status").split("\n")) {
            if (line.startsWith("TracerPid:")) {
                return Integer.parseInt(line.substring(10).trim());
            }
        }
        return 0;
    }

    static long fdCount(int pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static String read(int pid, String rel) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/" + rel));
        } catch (IOException e) {
            return "";
        }
    }

    static void signal(int pid, String sig) {
        int n = switch (sig) {
            case "KILL" -> 9;
            case "USR1" -> 10;
            case "USR2" -> 12;
            default -> throw new IllegalArgumentException(sig);
        };
        try {
            dev.jcr.sys.Linux.kill(pid, n);
        } catch (dev.jcr.JcrException e) {
            // gone: the checks that follow say so
        }
    }

    private static void assertEq(String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
