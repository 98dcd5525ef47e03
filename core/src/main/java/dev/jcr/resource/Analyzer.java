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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
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
        return analyze(pid, null);
    }

    /**
     * Analyzes PID as part of a dump that takes the processes DUMPED says yes to (null: PID and its
     * descendants, the tree a dump of PID takes): a resource that refers to another process (a
     * /proc/PID file, a SIGIO owner) is unsupported when that process is left out.
     */
    public ProcessReport analyze(long pid, LongPredicate dumped) {
        ProcessInfo p = fs.process(pid);
        return analyze(p, null, new HashMap<>(), dumped);
    }

    /**
     * Analyzes every process of TREE. Processes that exited meanwhile are left out; one that jcr may
     * not read gets a report whose only assessment says so.
     */
    public Map<Long, ProcessReport> analyzeAll(ProcessTree tree) {
        return analyzeAll(tree, null);
    }

    /**
     * Analyzes every process of TREE as part of a dump that takes the processes DUMPED says yes to
     * (null: each process as the root of its own dump, with its descendants).
     */
    public Map<Long, ProcessReport> analyzeAll(ProcessTree tree, LongPredicate dumped) {
        Map<Long, SocketTable> socketCache = new ConcurrentHashMap<>();
        List<ProcessInfo> all = tree.all();
        ProcessReport[] reports = new ProcessReport[all.size()];
        // independent /proc reads per process: run them on all cores, keep pid order in the result
        IntStream.range(0, reports.length).parallel().forEach(i -> {
            ProcessInfo p = all.get(i);
            try {
                reports[i] = analyze(p, tree, socketCache, dumped);
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

    private ProcessReport analyze(ProcessInfo p, ProcessTree tree, Map<Long, SocketTable> socketCache,
            LongPredicate dumped) {
        ProcessReport r = analyzeAlone(p, tree, socketCache);
        if (r.assessments().stream().allMatch(a -> a.dumpedWith().isEmpty())) {
            return r;
        }
        LongPredicate in = dumped != null ? dumped : q -> selfOrDescendant(p.pid(), q, tree);
        return ProcessReport.of(r.pid(), r.comm(), r.assessments().stream().map(a -> a.within(in)).toList());
    }

    /** Whether Q is P or below P: Q's parents followed up (through TREE where it knows them, else /proc). */
    private boolean selfOrDescendant(long p, long q, ProcessTree tree) {
        long at = q;
        for (int depth = 0; at > 0 && depth < 4096; depth++) {
            if (at == p) {
                return true;
            }
            long cur = at;
            Optional<ProcessInfo> known = tree == null ? Optional.empty() : tree.get(cur);
            try {
                at = known.isPresent() ? known.get().ppid() : fs.process(cur).ppid();
            } catch (RuntimeException e) {
                return false; // gone or unreadable: not a process the dump takes
            }
        }
        return false;
    }

    private ProcessReport analyzeAlone(ProcessInfo p, ProcessTree tree, Map<Long, SocketTable> socketCache) {
        long pid = p.pid();
        List<Assessment> out = new ArrayList<>(processChecks.assess(p, fs.cwd(pid), fs.rootDir(pid),
                other -> commOf(tree, other)));
        if (p.kernelThread() || p.isZombie()) {
            return ProcessReport.of(pid, p.comm(), out);
        }
        long netNs = p.namespaces().inode(NamespaceType.NET);
        // one socket table per network namespace (unknown namespace: read for this process only)
        SocketTable sockets = netNs < 0 ? fs.sockets(pid) : socketCache.computeIfAbsent(netNs, k -> fs.sockets(pid));
        ResourceDriver<FileLock> locks = drivers.get(ResourceKind.FILE_LOCK, FileLock.class).orElse(null);
        for (OpenFd fd : fs.fds(pid, sockets)) {
            out.add(assessFd(fd));
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
        return ProcessReport.of(pid, p.comm(), out);
    }

    /** The driver's answer for FD, or "not supported yet" with a description when its kind has none. */
    public Assessment assessFd(OpenFd fd) {
        ResourceKind kind = ResourceKind.of(fd.kind());
        return drivers.get(kind, OpenFd.class)
                .map(d -> FileOwners.assess(d.assess(fd), fd, fs))
                .orElseGet(() -> Assessment.unsupported(fd.label(), kind,
                        FdDescriber.describe(fd) + ": not supported yet"));
    }

    private String commOf(ProcessTree tree, long pid) {
        if (tree != null) {
            return tree.get(pid).map(ProcessInfo::comm).orElse(null);
        }
        try {
            return fs.process(pid).comm();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
