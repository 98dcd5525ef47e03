package dev.jcr.fault;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection, as CRIU has it: {@code JCR_FAULT=<point>[:kill|:throw|:pause][:<n>]} makes jcr
 * SIGKILL itself (the default), throw {@link InjectedFault}, or wait there until cancelled, the n-th
 * time (default: the first) it passes the named point. The points are the moments where jcr dying must not harm the target: each phase of
 * freezing, of a remote-syscall session and of the page drain, each kind of remote syscall, each phase
 * of a dump and each step of a restore. {@link #ALL} lists every point ({@code jcr debug fault-points}
 * prints them); tests loop over them.
 *
 * <p>Why a registry and not free-form names: a test that loops over "every point" must know them
 * all, and a misspelt {@code JCR_FAULT} must be refused instead of silently never firing.
 */
public final class Faults {

    /** One named point: where it is (area), and what has happened when it fires. */
    public record Point(String name, String area, String description) {
    }

    /**
     * What a fault does: KILL (SIGKILL itself), THROW ({@link InjectedFault}), or PAUSE: wait at the
     * point until the operation is cancelled (at most two minutes), so that a test can interrupt jcr
     * at a known moment (SIGTERM to a dump sitting in the middle of its page copy).
     */
    public enum Action { KILL, THROW, PAUSE }

    private static final List<Point> REGISTRY = new ArrayList<>();
    private static final Map<Integer, Point> BY_SYSCALL = new LinkedHashMap<>();

    // ---------------------------------------------------------------- freezing
    public static final Point FREEZE_SEIZED = add("freeze.seized", "ptrace",
            "a task is attached (PTRACE_SEIZE) but not yet interrupted");
    public static final Point FREEZE_FROZEN = add("freeze.frozen", "ptrace",
            "every thread of the tree sits in its interrupt stop");

    // ---------------------------------------------------------------- remote-syscall sessions
    public static final Point REMOTE_OPEN = add("remote.open", "ptrace",
            "a session is open: rescue frame written, registers on the trampoline, every signal blocked");
    public static final Point REMOTE_ENTRY = add("remote.entry", "ptrace",
            "the task sits at the trampoline's syscall-entry stop (rt_sigreturn, not yet replaced)");
    public static final Point REMOTE_EXIT = add("remote.exit", "ptrace",
            "a remote syscall returned: the task sits at its syscall-exit stop");
    public static final Point REMOTE_CLOSE = add("remote.close", "ptrace",
            "closing: back in the interrupt stop with its own signal mask, registers still borrowed");

    // one point per kind of remote syscall a dump makes (state, timers, the page drain), at the entry
    // stop once the number is in: if jcr dies there, the call runs unattended and the task must
    // still come back to itself
    static {
        String[][] kinds = {
            {"3", "close"}, {"9", "mmap"}, {"10", "mprotect"}, {"11", "munmap"}, {"12", "brk"},
            {"13", "rt_sigaction"}, {"36", "getitimer"}, {"72", "fcntl"}, {"131", "sigaltstack"},
            {"140", "getpriority"}, {"143", "sched_getparam"}, {"145", "sched_getscheduler"},
            {"157", "prctl"}, {"224", "timer_gettime"}, {"225", "timer_getoverrun"},
            {"274", "get_robust_list"}, {"293", "pipe2"}, {"435", "clone3"}, {"436", "close_range"},
        };
        for (String[] k : kinds) {
            BY_SYSCALL.put(Integer.parseInt(k[0]), add("remote.syscall." + k[1], "ptrace",
                    "the number of a remote " + k[1] + " is in place at its entry stop (the call runs if jcr dies)"));
        }
    }

    // ---------------------------------------------------------------- the page drain (PipeDrain)
    public static final Point DRAIN_AREA = add("drain.area", "drain",
            "the helper's code page is mapped and written in the target, no helper thread yet");
    public static final Point DRAIN_HELPER = add("drain.helper", "drain",
            "the helper thread was just cloned and sits in its first stop");
    public static final Point DRAIN_PIPE = add("drain.pipe", "drain",
            "the helper made its pipe; jcr holds the read end");
    public static final Point DRAIN_RUNNING = add("drain.running", "drain",
            "the helper runs its vmsplice loop, nothing spliced yet");
    public static final Point DRAIN_SPLICED = add("drain.spliced", "drain",
            "pages are moving: the first splice into the pages file is done");
    public static final Point DRAIN_DONE = add("drain.done", "drain",
            "the helper has ended; its area is still mapped");

    // ---------------------------------------------------------------- dump phases
    public static final Point DUMP_CHECKED = add("dump.checked", "dump",
            "the tree was checked, nothing created or frozen yet");
    public static final Point DUMP_DIR = add("dump.dir", "dump",
            "the hidden temporary image directory exists, the tree is not frozen");
    public static final Point DUMP_FROZEN = add("dump.frozen", "dump",
            "the tree is frozen, no state read yet");
    public static final Point DUMP_STATE = add("dump.state", "dump",
            "one process's state is collected (its remote sessions closed)");
    public static final Point DUMP_SCANNED = add("dump.scanned", "dump",
            "one process's pagemap is scanned");
    public static final Point DUMP_MEMORY = add("dump.memory", "dump",
            "every page is in the pages files, the tree still frozen");
    public static final Point DUMP_RELEASED = add("dump.released", "dump",
            "the tree runs again; images not yet synced");
    public static final Point DUMP_WRITTEN = add("dump.written", "dump",
            "every image is written in the temporary directory, before sync and rename");
    public static final Point DUMP_COMMITTED = add("dump.committed", "dump",
            "the directory is renamed into place (complete)");

    // ---------------------------------------------------------------- the last dump of a chain (--prev-images-dir)
    public static final Point CHAIN_PRECOPY = add("chain.precopy", "chain",
            "copying what was written since the parent, the tree running: one process's tracker is reset and "
                    + "its record names this dump");
    public static final Point CHAIN_FILLED = add("chain.filled", "chain",
            "the pages copied before the freeze are in their places; the tree runs again, nothing committed");

    // ---------------------------------------------------------------- restore steps
    public static final Point RESTORE_PLANNED = add("restore.planned", "restore",
            "the images are read and validated, nothing created");
    public static final Point RESTORE_SEED = add("restore.seed", "restore",
            "the seed process runs and is seized");
    public static final Point RESTORE_CLONED = add("restore.cloned", "restore",
            "a process of the tree was created with its pid (n-th hit: n-th process)");
    public static final Point RESTORE_TREE = add("restore.tree", "restore",
            "every process exists, the seed is gone");
    public static final Point RESTORE_MEMORY = add("restore.memory", "restore",
            "a process's address space is rebuilt");
    public static final Point RESTORE_FILES = add("restore.files", "restore",
            "a process's file descriptors are installed");
    public static final Point RESTORE_STATE = add("restore.state", "restore",
            "a process's state (signals, timers, limits) is set");
    public static final Point RESTORE_THREADS = add("restore.threads", "restore",
            "a process's threads exist and have their registers");
    public static final Point RESTORE_RELEASE = add("restore.release", "restore",
            "every other process runs (its parent-death signal armed), the root is still held");
    public static final Point RESTORE_COMMITTED = add("restore.committed", "restore",
            "the root runs: the tree outlives jcr from here on (the others' parent-death signals still armed)");

    /** Every point, in registry order. */
    public static final List<Point> ALL = Collections.unmodifiableList(REGISTRY);

    private static volatile Armed armed;
    private static volatile boolean fromEnvironment;

    private record Armed(Point point, Action action, int nth, AtomicInteger hits) {
    }

    private Faults() {
    }

    private static Point add(String name, String area, String description) {
        Point p = new Point(name, area, description);
        REGISTRY.add(p);
        return p;
    }

    /** The point for remote syscall NR, if it has one. */
    public static Optional<Point> syscall(long nr) {
        return Optional.ofNullable(BY_SYSCALL.get((int) nr));
    }

    public static Optional<Point> byName(String name) {
        for (Point p : REGISTRY) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Arms the point named in SPEC ({@code point[:kill|:throw|:pause][:n]}); null or blank disarms.
     *
     * @throws IllegalArgumentException naming what is wrong with SPEC
     */
    public static void arm(String spec) {
        if (spec == null || spec.isBlank()) {
            armed = null;
            return;
        }
        String[] parts = spec.trim().split(":");
        Point p = byName(parts[0]).orElseThrow(() -> new IllegalArgumentException(
                "JCR_FAULT names no fault point: '" + parts[0] + "' (jcr debug fault-points lists them)"));
        Action action = Action.KILL;
        int nth = 1;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "kill" -> action = Action.KILL;
                case "throw" -> action = Action.THROW;
                case "pause" -> action = Action.PAUSE;
                default -> {
                    try {
                        nth = Integer.parseInt(parts[i]);
                    } catch (NumberFormatException e) {
                        nth = 0;
                    }
                    if (nth < 1) {
                        throw new IllegalArgumentException("JCR_FAULT: '" + parts[i]
                                + "' is neither kill, throw, pause nor a hit count >= 1");
                    }
                }
            }
        }
        armed = new Armed(p, action, nth, new AtomicInteger());
    }

    /** Arms whatever {@code JCR_FAULT} says (once per process; a bad value is reported by the caller). */
    public static synchronized void armFromEnvironment() {
        if (!fromEnvironment) {
            fromEnvironment = true;
            String spec = System.getenv("JCR_FAULT");
            if (spec != null && !spec.isBlank()) {
                arm(spec);
            }
        }
    }

    /**
     * True on a thread running a practice dump, and on the threads it starts (its tracer): none of
     * their points fire or count, nor do they end on a cancellation, which stays pending for the real
     * operation that follows.
     */
    private static final InheritableThreadLocal<Boolean> PRACTICE = new InheritableThreadLocal<>() {
        @Override
        protected Boolean initialValue() {
            return false;
        }
    };

    /** Runs WHAT with every point silent on this thread and the threads it starts. */
    public static <T> T silently(java.util.function.Supplier<T> what) {
        boolean before = PRACTICE.get();
        PRACTICE.set(true);
        try {
            return what.get();
        } finally {
            PRACTICE.set(before);
        }
    }

    /** Disarms (tests). */
    public static void disarm() {
        armed = null;
    }

    /**
     * Passes point P: when it is the armed one (and this is the n-th pass), jcr kills itself with
     * SIGKILL or throws {@link InjectedFault}. Before that, a pending {@link Cancellation} ends the
     * operation here ({@link Cancelled}), unless P is past a commit. A kill or pause says so on stderr
     * first, so that a test knows the point was reached rather than skipped.
     */
    public static void hit(Point p) {
        if (PRACTICE.get()) {
            return; // a practice run (dev.jcr.dump.Practice) is not the operation the points are about
        }
        if (p != DUMP_COMMITTED && p != RESTORE_COMMITTED) {
            Cancellation.check(); // every point before a commit is also where a cancelled operation ends
        }
        Armed a = armed;
        if (a == null || a.point() != p || a.hits().incrementAndGet() != a.nth()) {
            return;
        }
        if (a.action() == Action.THROW) {
            throw new InjectedFault(p); // says where itself
        }
        say("jcr: fault point " + p.name() + " reached (" + a.action().name().toLowerCase() + ")\n");
        if (a.action() == Action.PAUSE) {
            long until = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < until && !Cancellation.requested()) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
            Cancellation.check();
            return;
        }
        dev.jcr.sys.Linux.kill(dev.jcr.sys.Linux.getpid(), 9);
        while (true) {
            // SIGKILL is delivered before the kill syscall returns to us; never go on
            Thread.onSpinWait();
        }
    }

    private static void say(String line) {
        try {
            // straight to fd 2: nothing buffered may be lost to the SIGKILL that follows
            @SuppressWarnings("resource")
            FileOutputStream err = new FileOutputStream(FileDescriptor.err);
            err.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // stderr closed: the fault still fires
        }
        // and where a program with a full-screen UI on stderr (jcr-top) can be watched: JCR_FAULT_LOG
        String log = System.getenv("JCR_FAULT_LOG");
        if (log != null && !log.isBlank()) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(log), line, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the fault still fires
            }
        }
    }
}
