package dev.jcr.app.top.model;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live system through core: the process tree from {@link ProcessTree}, every verdict and reason from
 * the drivers through {@link Analyzer} — the same answers as {@code jcr check}. Nothing here decides a
 * verdict; it only translates core's records into rows.
 */
public final class AnalyzerSource implements ProcessSource {

    private final ProcFs fs;
    private final Analyzer analyzer;
    private final ImageStore images;
    private final Map<Long, String> users = new HashMap<>();
    /** The reports of the last full scan, keyed by pid and start time (a reused pid is another process). */
    private volatile Map<List<Long>, ProcessReport> last = Map.of();

    public AnalyzerSource(ProcFs fs, ImageStore images) {
        this.fs = fs;
        this.analyzer = new Analyzer(fs);
        this.images = images;
    }

    @Override
    public Snapshot scan() {
        ProcessTree tree = ProcessTree.scan(fs);
        Map<Long, ProcessReport> reports = analyzer.analyzeAll(tree);
        Map<List<Long>, ProcessReport> byKey = new HashMap<>();
        List<ProcessRow> rows = new ArrayList<>(tree.size());
        for (ProcessInfo p : tree.all()) {
            ProcessReport r = reports.get(p.pid());
            if (r == null) {
                continue; // exited while it was being analysed
            }
            byKey.put(key(p), r);
            rows.add(row(p, r));
        }
        last = byKey;
        return new Snapshot(Instant.now(), SystemInfo.hostname(), SystemInfo.kernel(), rows, images.count());
    }

    @Override
    public Snapshot quickScan() {
        ProcessTree tree = ProcessTree.scan(fs);
        Map<List<Long>, ProcessReport> known = last;
        List<ProcessRow> rows = new ArrayList<>(tree.size());
        for (ProcessInfo p : tree.all()) {
            rows.add(row(p, known.get(key(p))));
        }
        return new Snapshot(Instant.now(), SystemInfo.hostname(), SystemInfo.kernel(), rows, images.count());
    }

    private static List<Long> key(ProcessInfo p) {
        return List.of(p.pid(), p.startTimeTicks());
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
                p.threads(), p.rssBytes() / 1024, v, reason, p.comm(), p.commandLine());
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
            case REGULAR_FILE, DIRECTORY, DELETED_FILE, MEMFD -> ResourceGroup.FILES;
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
