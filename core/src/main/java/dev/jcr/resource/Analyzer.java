package dev.jcr.resource;

import dev.jcr.proc.FileLock;
import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcAccessException;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessGoneException;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.proc.SocketTable;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.proc.Vma;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Asks the drivers about every resource of a process and collects all the answers: process-level
 * blockers, each fd, each memory area, each thread, the signal state. A resource whose kind has no
 * driver is unsupported, and its reason says what it is.
 */
public final class Analyzer {

    private final ProcFs fs;
    private final DriverTable drivers;
    private final ProcessChecks processChecks;

    public Analyzer(ProcFs fs) {
        this(fs, DriverTable.standard(), Self.of(fs));
    }

    public Analyzer(ProcFs fs, DriverTable drivers, Self self) {
        this.fs = fs;
        this.drivers = drivers;
        this.processChecks = new ProcessChecks(self);
    }

    public DriverTable drivers() {
        return drivers;
    }

    /**
     * Analyzes PID. Throws {@link ProcessGoneException} if it does not exist (or exits meanwhile) and
     * {@link ProcAccessException} if jcr may not read its fds or memory map.
     */
    public ProcessReport analyze(long pid) {
        ProcessInfo p = fs.process(pid);
        return analyze(p, null, new HashMap<>());
    }

    /**
     * Analyzes every process of TREE. Processes that exited meanwhile are left out; one that jcr may
     * not read gets a report whose only assessment says so.
     */
    public Map<Long, ProcessReport> analyzeAll(ProcessTree tree) {
        Map<Long, SocketTable> socketCache = new ConcurrentHashMap<>();
        List<ProcessInfo> all = tree.all();
        ProcessReport[] reports = new ProcessReport[all.size()];
        // independent /proc reads per process: run them on all cores, keep pid order in the result
        IntStream.range(0, reports.length).parallel().forEach(i -> {
            ProcessInfo p = all.get(i);
            try {
                reports[i] = analyze(p, tree, socketCache);
            } catch (ProcessGoneException e) {
                // exited during the scan: no longer part of the machine
            } catch (ProcAccessException e) {
                reports[i] = ProcessReport.of(p.pid(), p.comm(), List.of(Assessment.unsupported(ProcessChecks.ACCESS,
                        ResourceKind.PROCESS, "cannot read " + e.path() + ": permission denied (" + e.why() + ")")));
            }
        });
        Map<Long, ProcessReport> out = new LinkedHashMap<>();
        for (ProcessReport r : reports) {
            if (r != null) {
                out.put(r.pid(), r);
            }
        }
        return out;
    }

    /**
     * Analyzes every process of TREE as one dump takes them all: each fd is judged alone and then inside
     * the tree ({@link FileDriver#assessInTree}: a socket's peer, a pty's master) with OPTIONS given.
     * Processes that exited meanwhile are left out, as in {@link #analyzeAll}.
     */
    public Map<Long, ProcessReport> analyzeTree(ProcessTree tree, Set<String> options) {
        Map<Long, SocketTable> socketCache = new ConcurrentHashMap<>();
        List<ProcessInfo> all = tree.all();
        Analysis[] done = new Analysis[all.size()];
        IntStream.range(0, done.length).parallel().forEach(i -> {
            ProcessInfo p = all.get(i);
            try {
                done[i] = analyzeWithFds(p, tree, socketCache);
            } catch (ProcessGoneException e) {
                // exited during the scan
            } catch (ProcAccessException e) {
                done[i] = new Analysis(ProcessReport.of(p.pid(), p.comm(), List.of(Assessment.unsupported(
                        ProcessChecks.ACCESS, ResourceKind.PROCESS, "cannot read " + e.path()
                                + ": permission denied (" + e.why() + ")"))), List.of(), 1, 0);
            }
        });
        Map<Long, String> comms = new LinkedHashMap<>();
        Map<Long, List<OpenFd>> fds = new HashMap<>();
        for (Analysis a : done) {
            if (a != null) {
                comms.put(a.report().pid(), a.report().comm());
                fds.put(a.report().pid(), a.fds());
            }
        }
        TreeView view = new TreeView(fs, comms, fds, options);
        Map<Long, ProcessReport> out = new LinkedHashMap<>();
        for (Analysis a : done) {
            if (a != null) {
                out.put(a.report().pid(), a.inTree(this, view));
            }
        }
        return out;
    }

    /**
     * A process's report and what it was made from: its fds (their assessments start at FD_START) and its
     * controlling terminal (stat's tty_nr).
     */
    private record Analysis(ProcessReport report, List<OpenFd> fds, int fdStart, int ttyNr) {

        /** The report with the tree's answers: each fd's by its driver, the controlling terminal's. */
        ProcessReport inTree(Analyzer analyzer, TreeView view) {
            List<Assessment> as = new ArrayList<>(report.assessments());
            for (int i = 0; i < fdStart; i++) {
                as.set(i, ProcessChecks.inTree(as.get(i), ttyNr, view));
            }
            for (int i = 0; i < fds.size(); i++) {
                as.set(fdStart + i, analyzer.inTree(report.pid(), fds.get(i), as.get(fdStart + i), view));
            }
            return ProcessReport.of(report.pid(), report.comm(), as);
        }
    }

    /** FD of PID judged inside VIEW, given ALONE (its driver's answer for the fd alone). */
    public Assessment inTree(long pid, OpenFd fd, Assessment alone, TreeView view) {
        Assessment a = drivers.get(ResourceKind.of(fd.kind()), OpenFd.class)
                .filter(FileDriver.class::isInstance)
                .map(d -> ((FileDriver) d).assessInTree(pid, fd, alone, view))
                .orElse(alone);
        // whatever the kind: the process its SIGIO goes to must be restored with it
        return FileOwners.inTree(a, fd, view);
    }

    private ProcessReport analyze(ProcessInfo p, ProcessTree tree, Map<Long, SocketTable> socketCache) {
        return analyzeWithFds(p, tree, socketCache).report();
    }

    private Analysis analyzeWithFds(ProcessInfo p, ProcessTree tree, Map<Long, SocketTable> socketCache) {
        long pid = p.pid();
        List<Assessment> out = new ArrayList<>(processChecks.assess(p, fs.cwd(pid), fs.rootDir(pid),
                other -> commOf(tree, other)));
        if (p.kernelThread() || p.isZombie()) {
            return new Analysis(ProcessReport.of(pid, p.comm(), out), List.of(), out.size(), p.ttyNr());
        }
        fs.exe(pid).filter(dev.jcr.proc.PathLink::deleted).ifPresent(exe -> out.add(Assessment.unsupported("exe",
                ResourceKind.PROCESS, "executable " + exe.path() + " was deleted (replaced on disk?): not supported yet")));
        long netNs = p.namespaces().inode(NamespaceType.NET);
        // one socket table per network namespace (unknown namespace: read for this process only)
        SocketTable sockets = netNs < 0 ? fs.sockets(pid) : socketCache.computeIfAbsent(netNs, k -> fs.sockets(pid));
        int fdStart = out.size();
        List<OpenFd> fds = fs.fds(pid, sockets);
        for (OpenFd fd : fds) {
            out.add(assessFd(fd));
        }
        // after the fds (whose answers stay together, see Analysis): the locks held through them
        ResourceDriver<FileLock> locks = drivers.get(ResourceKind.FILE_LOCK, FileLock.class).orElse(null);
        for (OpenFd fd : fds) {
            for (FileLock l : fd.locks()) {
                out.add(locks != null ? locks.assess(l) : Assessment.unsupported(fd.label() + " lock",
                        ResourceKind.FILE_LOCK, l.describe() + ": not supported yet"));
            }
        }
        ResourceDriver<Vma> mem = drivers.get(ResourceKind.MEMORY_MAPPING, Vma.class).orElse(null);
        for (Vma v : fs.maps(pid)) {
            out.add(mem != null ? mem.assess(v) : Assessment.unsupported("vma " + v.range(),
                    ResourceKind.MEMORY_MAPPING, "memory mappings: not supported yet"));
        }
        ResourceDriver<ThreadInfo> thr = drivers.get(ResourceKind.THREAD, ThreadInfo.class).orElse(null);
        // a single-threaded process's only thread is the one status described: no need to read task/
        List<ThreadInfo> threads = p.threads() == 1
                ? List.of(new ThreadInfo(pid, p.comm(), p.state(), p.signals().pending(), p.signals().blocked()))
                : fs.threads(pid);
        for (ThreadInfo t : threads) {
            out.add(thr != null ? thr.assess(t) : Assessment.unsupported("thread " + t.tid(), ResourceKind.THREAD,
                    "threads: not supported yet"));
        }
        Optional<ResourceDriver<ProcessInfo>> sig = drivers.get(ResourceKind.SIGNAL_STATE, ProcessInfo.class);
        out.add(sig.isPresent() ? sig.get().assess(p) : Assessment.unsupported("signals", ResourceKind.SIGNAL_STATE,
                "signal state: not supported yet"));
        return new Analysis(ProcessReport.of(pid, p.comm(), out), fds, fdStart, p.ttyNr());
    }

    /** The driver's answer for FD, or "not supported yet" with a description when its kind has none. */
    public Assessment assessFd(OpenFd fd) {
        ResourceKind kind = ResourceKind.of(fd.kind());
        return drivers.get(kind, OpenFd.class)
                .map(d -> d.assess(fd))
                .orElseGet(() -> Assessment.unsupported(fd.label(), kind,
                        FdDescriber.describe(fd) + ": not supported yet"));
    }

    private String commOf(ProcessTree tree, long pid) {
        if (tree != null) {
            Optional<ProcessInfo> in = tree.get(pid);
            if (in.isPresent()) {
                return in.get().comm();
            }
        }
        try {
            return fs.process(pid).comm();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
