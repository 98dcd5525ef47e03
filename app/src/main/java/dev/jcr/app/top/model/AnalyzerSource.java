package dev.jcr.app.top.model;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Verdict;
import dev.jcr.proc.Ids;
import dev.jcr.proc.Namespaces;
import dev.jcr.proc.SeccompMode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live system through core: the process tree from {@link ProcessTree}, every verdict and reason from
 * the drivers through {@link Analyzer} — the same answers as {@code jcr check}. Nothing here decides a
 * verdict; it only translates core's records into rows.
 */
public final class AnalyzerSource implements ProcessSource {

    /** A verdict in the list is at most this many refreshes old (20 s at the default delay). */
    static final int MAX_AGE_SCANS = 10;
    /** Small machines: re-analyse at least this many per refresh (which there is everything). */
    static final int MIN_BUDGET = 32;

    private final ProcFs fs;
    private final Analyzer analyzer;
    private final ImageStore images;
    private final Map<Long, String> users = new HashMap<>();
    /** Reports between refreshes: re-analyse what changed, the selection and a round-robin share. */
    private final ReportCache<Signature, ProcessReport> cache;
    /** The reports the last scan showed, with the start time they belong to (for the quick first pass). */
    private volatile Map<Long, Known> last = Map.of();
    private volatile int analysedLastScan;
    /** Whether scans add a row per userland thread (H). */
    private volatile boolean threads;

    public AnalyzerSource(ProcFs fs, ImageStore images) {
        this(fs, images, MAX_AGE_SCANS, MIN_BUDGET);
    }

    /** With another round robin: every report re-analysed within MAX_AGE scans, at least MIN_BUDGET per scan. */
    public AnalyzerSource(ProcFs fs, ImageStore images, int maxAge, int minBudget) {
        this.cache = new ReportCache<>(maxAge, minBudget);
        this.fs = fs;
        this.analyzer = new Analyzer(fs);
        this.images = images;
    }

    @Override
    public Snapshot scan() {
        return scan(-1);
    }

    /**
     * Re-analyses only the processes {@link ReportCache#plan} names (new, changed, FOCUS, and the
     * round-robin share); every other row keeps the report of an earlier scan.
     */
    @Override
    public synchronized Snapshot scan(long focus) {
        ProcessTree tree = ProcessTree.scan(fs);
        Map<Long, Signature> current = new LinkedHashMap<>();
        for (ProcessInfo p : tree.all()) {
            current.put(p.pid(), Signature.of(p, fdCount(p.pid())));
        }
        Set<Long> todo = cache.plan(current, focus);
        // a traced process's reason names its tracer: keep the tracer in the analysed tree
        Set<Long> tracers = new HashSet<>();
        for (Long pid : todo) {
            tree.get(pid).filter(ProcessInfo::isTraced).ifPresent(p -> tracers.add(p.tracerPid()));
        }
        List<ProcessInfo> chosen = new ArrayList<>(todo.size());
        for (ProcessInfo p : tree.all()) {
            if (todo.contains(p.pid()) || tracers.contains(p.pid())) {
                chosen.add(p);
            }
        }
        Map<Long, ProcessReport> fresh = chosen.size() == tree.size() ? analyzer.analyzeAll(tree)
                : analyzer.analyzeAll(ProcessTree.of(chosen));
        analysedLastScan = fresh.size();
        List<ProcessRow> rows = new ArrayList<>(tree.size());
        Map<Long, Known> known = new HashMap<>();
        for (ProcessInfo p : tree.all()) {
            Signature sig = current.get(p.pid());
            ProcessReport r = fresh.get(p.pid());
            if (r != null) {
                cache.put(p.pid(), sig, r);
            } else if (todo.contains(p.pid())) {
                cache.forget(p.pid()); // exited while it was being analysed
                continue;
            } else {
                r = cache.get(p.pid(), sig).orElse(null);
                if (r == null) {
                    continue;
                }
            }
            known.put(p.pid(), new Known(p.startTimeTicks(), r));
            rows.add(row(p, r));
        }
        addThreadRows(tree, rows);
        last = known;
        return new Snapshot(Instant.now(), SystemInfo.hostname(), SystemInfo.kernel(), rows, images.count());
    }

    @Override
    public void listThreads(boolean on) {
        threads = on;
    }

    /**
     * When threads are listed: a row for each thread of a multi-threaded process other than its leader,
     * under it (ppid = the process), with the process's verdict (threads are checkpointed with their process).
     */
    private void addThreadRows(ProcessTree tree, List<ProcessRow> rows) {
        if (!threads) {
            return;
        }
        Map<Long, ProcessRow> byPid = new HashMap<>();
        rows.forEach(r -> byPid.put(r.pid(), r));
        for (ProcessInfo p : tree.all()) {
            ProcessRow owner = byPid.get(p.pid());
            if (owner == null || p.kernelThread() || p.threads() < 2 || p.isZombie()) {
                continue;
            }
            List<dev.jcr.proc.ThreadInfo> ts;
            try {
                ts = fs.threads(p.pid());
            } catch (dev.jcr.JcrException gone) {
                continue; // exited, or not ours to read: no thread rows
            }
            for (dev.jcr.proc.ThreadInfo t : ts) {
                if (t.tid() != p.pid()) {
                    rows.add(new ProcessRow(t.tid(), p.pid(), owner.user(), t.state() == null ? '?' : t.state().code(), 1,
                            owner.rssKiB(), owner.verdict(), "a thread of " + p.pid() + " (" + p.comm()
                            + "): checkpointed with its process", t.comm(), t.comm(), ProcessRow.Kind.THREAD));
                }
            }
        }
    }

    /** How many processes the last {@link #scan} analysed (the rest kept earlier reports). */
    public int analysedLastScan() {
        return analysedLastScan;
    }

    @Override
    public Snapshot quickScan() {
        ProcessTree tree = ProcessTree.scan(fs);
        Map<Long, Known> known = last;
        List<ProcessRow> rows = new ArrayList<>(tree.size());
        for (ProcessInfo p : tree.all()) {
            Known k = known.get(p.pid());
            rows.add(row(p, k != null && k.startTime() == p.startTimeTicks() ? k.report() : null));
        }
        addThreadRows(tree, rows);
        return new Snapshot(Instant.now(), SystemInfo.hostname(), SystemInfo.kernel(), rows, images.count());
    }

    /**
     * The number of open fds of PID: since Linux 6.2 the size of /proc/PID/fd (one stat, no listing);
     * -1 when it cannot be read (then only the round robin notices fd changes).
     */
    private long fdCount(long pid) {
        try {
            return Files.size(fs.dir(pid).resolve("fd"));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * What a refresh reads anyway and what a report depends on, cheaply: equal signatures mean the report
     * is very likely still right (the round robin covers the rest). Leaves out what changes all the time
     * and decides no verdict (RSS, run state other than exited, pending signals).
     */
    record Signature(long startTime, long fds, long vsz, int threads, long pgid, long sid, int tty, long tracer,
                     Ids uids, SeccompMode seccomp, boolean gone, Namespaces namespaces) {

        static Signature of(ProcessInfo p, long fds) {
            return new Signature(p.startTimeTicks(), fds, p.vszBytes(), p.threads(), p.pgid(), p.sid(), p.ttyNr(),
                    p.tracerPid(), p.uids(), p.seccomp(), p.isZombie(), p.namespaces());
        }
    }

    private record Known(long startTime, ProcessReport report) {
    }

    /** The row of P with the verdict of report R (null: not analysed yet). */
    private ProcessRow row(ProcessInfo p, ProcessReport r) {
        CrVerdict v = r == null ? CrVerdict.PENDING : verdict(r.verdict());
        String reason = "";
        if (r == null) {
            reason = "not analysed yet";
        } else if (!r.blockers().isEmpty()) {
            List<Assessment> blockers = r.blockers();
            reason = blockers.get(0).message() + (blockers.size() > 1 ? " (+" + (blockers.size() - 1) + " more)" : "")
                    + (r.options().isEmpty() ? "" : " (option: " + String.join(", ", r.options()) + ")");
        }
        return new ProcessRow(p.pid(), p.ppid(), user(p.uids().real()), p.state() == null ? '?' : p.state().code(),
                p.threads(), p.rssBytes() / 1024, v, reason, p.comm(), p.commandLine(),
                p.kernelThread() ? ProcessRow.Kind.KERNEL_THREAD : ProcessRow.Kind.PROCESS);
    }

    @Override
    public ProcessDetails details(long pid) {
        ProcessReport r = analyzer.analyze(pid);
        List<ResourceLine> lines = new ArrayList<>();
        for (Assessment a : r.assessments()) {
            lines.add(new ResourceLine(group(a.kind()), a.resource(), verdict(a.verdict()), a.reason(),
                    a.option() == null ? "" : a.option()));
        }
        return new ProcessDetails(r.pid(), r.comm(), verdict(r.verdict()), lines);
    }

    static CrVerdict verdict(Verdict v) {
        return switch (v) {
            case SUPPORTED -> CrVerdict.OK;
            case NEEDS_OPTION -> CrVerdict.NEEDS_OPTION;
            case UNSUPPORTED -> CrVerdict.UNSUPPORTED;
        };
    }

    /** The details screen's section for a resource kind. */
    static ResourceGroup group(ResourceKind k) {
        return switch (k) {
            case THREAD -> ResourceGroup.THREADS;
            case MEMORY_MAPPING -> ResourceGroup.MEMORY;
            case REGULAR_FILE, DIRECTORY, DELETED_FILE, MEMFD, FILE_LOCK -> ResourceGroup.FILES;
            case PIPE, FIFO -> ResourceGroup.PIPES;
            case UNIX_SOCKET, TCP_SOCKET, UDP_SOCKET, RAW_SOCKET, NETLINK_SOCKET, PACKET_SOCKET, OTHER_SOCKET -> ResourceGroup.SOCKETS;
            case PROCESS, SIGNAL_STATE -> ResourceGroup.PROCESS;
            default -> ResourceGroup.OTHER_FDS;
        };
    }

    private synchronized String user(long uid) {
        return users.computeIfAbsent(uid, u -> SystemInfo.userName((int) (long) u));
    }
}
