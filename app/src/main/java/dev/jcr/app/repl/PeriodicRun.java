package dev.jcr.app.repl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The loop behind {@code every}: run, prune, wait, until a stop condition; then report. Runs start
 * at a fixed rate (a run longer than the interval delays the next one, never piles them up).
 * While waiting it watches the target processes, so the schedule ends as soon as the job does.
 */
final class PeriodicRun {

    /** What a periodic run did; printed at its end and returned to callers and tests. */
    record Report(int runs, int ok, int failed, List<Path> kept, List<Path> pruned, String stopReason,
                  Duration elapsed, int status) {
    }

    private static final long WATCH_SLICE_MS = 100;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Session session;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Interval interval;
    private final Integer count;
    private final Integer keep;
    private final boolean keepGoing;
    private final Placeholders placeholders;
    private final ProcessWatch watch;
    /** Incremental dumps (every --incremental): the chain of parents; null for independent runs. */
    private final IncrementalChain chain;

    PeriodicRun(Session session, PrintWriter out, PrintWriter err, Interval interval, Integer count, Integer keep,
                boolean keepGoing, Placeholders placeholders, ProcessWatch watch) {
        this(session, out, err, interval, count, keep, keepGoing, placeholders, watch, null);
    }

    PeriodicRun(Session session, PrintWriter out, PrintWriter err, Interval interval, Integer count, Integer keep,
                boolean keepGoing, Placeholders placeholders, ProcessWatch watch, IncrementalChain chain) {
        this.chain = chain;
        this.session = session;
        this.out = out;
        this.err = err;
        this.interval = interval;
        this.count = count;
        this.keep = keep;
        this.keepGoing = keepGoing;
        this.placeholders = placeholders;
        this.watch = watch;
    }

    Report run() {
        long started = System.nanoTime();
        Deque<Path> kept = new ArrayDeque<>();
        List<Path> pruned = new ArrayList<>();
        int runs = 0;
        int ok = 0;
        int failed = 0;
        int firstFailure = 0;
        long n = 0;
        String stop;
        int status;
        long nextStart = System.nanoTime();
        while (true) {
            if (count != null && runs >= count) {
                stop = "--count " + count + " reached";
                status = firstFailure;
                break;
            }
            Optional<Long> gone = watch.firstGone();
            if (gone.isPresent()) {
                stop = "process " + gone.get() + " exited";
                status = firstFailure;
                break;
            }
            LocalDateTime now = LocalDateTime.now();
            n = nextFreeNumber(n + 1, now);
            List<String> words = new ArrayList<>(placeholders.expand(n, now));
            List<Path> before = placeholders.paths(n, now).stream().filter(p -> !Files.exists(p)).collect(Collectors.toList());
            if (chain != null && !before.isEmpty()) {
                words.addAll(chain.words(before.get(0)));
            }
            runs++;
            out.println("every: #" + runs + " " + CLOCK.format(now) + " " + String.join(" ", words));
            out.flush();
            long runStart = System.nanoTime();
            int s = session.execute(words);
            if (s == Session.CANCELLED || session.cancellation().requested()) {
                if (s == 0) {
                    ok++;
                } else {
                    failed++;
                }
                stop = "cancelled (Ctrl-C)";
                status = Session.CANCELLED;
                break;
            }
            List<Path> produced = before.stream().filter(Files::isDirectory).toList();
            if (s == 0) {
                ok++;
                kept.addAll(produced);
                if (chain != null && !produced.isEmpty()) {
                    chain.succeeded(produced.get(0));
                    if (keep != null) {
                        for (Path old : chain.prunable(List.copyOf(kept), keep)) {
                            kept.remove(old);
                            if (delete(old)) {
                                pruned.add(old);
                                out.println("every: pruned " + old);
                            }
                        }
                    }
                }
                while (chain == null && keep != null && kept.size() > keep) {
                    Path oldest = kept.removeFirst();
                    if (delete(oldest)) {
                        pruned.add(oldest);
                        out.println("every: pruned " + oldest);
                    }
                }
            } else {
                failed++;
                Optional<Long> exited = watch.firstGone();
                if (exited.isPresent()) {
                    // the job ended while this run looked at it: the schedule is over, not broken
                    stop = "process " + exited.get() + " exited during run #" + runs;
                    status = firstFailure;
                    break;
                }
                if (firstFailure == 0) {
                    firstFailure = s;
                }
                err.println("every: run #" + runs + " (" + String.join(" ", words) + ") exited " + s);
                if (!keepGoing) {
                    stop = "run #" + runs + " failed with exit " + s + " (--keep-going would go on)";
                    status = s;
                    break;
                }
            }
            nextStart = Math.max(runStart + interval.duration().toNanos(), System.nanoTime());
            if (count != null && runs >= count) {
                continue; // no wait after the last run
            }
            if (!waitUntil(nextStart)) {
                stop = "cancelled (Ctrl-C)";
                status = Session.CANCELLED;
                break;
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Report report = new Report(runs, ok, failed, List.copyOf(kept), List.copyOf(pruned), stop, elapsed, status);
        print(report);
        return report;
    }

    /** The first N (from FROM) for which no {n} path exists yet, so a run never reuses a directory. */
    private long nextFreeNumber(long from, LocalDateTime now) {
        long n = from;
        if (!placeholders.usesN()) {
            return n;
        }
        while (placeholders.paths(n, now).stream().anyMatch(Files::exists)) {
            n++;
        }
        return n;
    }

    /** Sleeps until DEADLINE (System.nanoTime), returning early when a target exits; false on Ctrl-C. */
    private boolean waitUntil(long deadline) {
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || watch.firstGone().isPresent()) {
                    return true;
                }
                Thread.sleep(Math.min(WATCH_SLICE_MS, Math.max(1, left / 1_000_000)));
                if (session.cancellation().requested()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Deletes DIR recursively without following symbolic links; reports and returns false on failure. */
    private boolean delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            err.println("every: could not prune " + dir + ": " + e);
            return false;
        }
    }

    private void print(Report r) {
        out.printf("every: stopped after %d run%s (%d ok, %d failed) in %s: %s%n", r.runs(), r.runs() == 1 ? "" : "s",
                r.ok(), r.failed(), human(r.elapsed()), r.stopReason());
        if (!r.kept().isEmpty() || !r.pruned().isEmpty()) {
            out.println("every: kept " + (r.kept().isEmpty() ? "none" : r.kept().stream().map(Path::toString).collect(Collectors.joining(" ")))
                    + (r.pruned().isEmpty() ? "" : "; pruned " + r.pruned().size()));
        }
        out.flush();
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
