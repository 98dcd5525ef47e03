package dev.jcr.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A snapshot of all processes and their parent links. Children are sorted by pid so that every
 * rendering of the tree is deterministic. Processes that exit during the scan are simply not in it.
 */
public final class ProcessTree {

    private final Map<Long, ProcessInfo> byPid;
    private final Map<Long, List<Long>> children;
    private final List<Long> roots;

    private ProcessTree(Map<Long, ProcessInfo> byPid) {
        this.byPid = Collections.unmodifiableMap(byPid);
        Map<Long, List<Long>> kids = new TreeMap<>();
        List<Long> top = new ArrayList<>();
        for (ProcessInfo p : byPid.values()) {
            if (p.ppid() != 0 && byPid.containsKey(p.ppid()) && p.ppid() != p.pid()) {
                kids.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
            } else {
                top.add(p.pid());
            }
        }
        // values() is in pid order, so every list is already sorted
        kids.replaceAll((k, v) -> List.copyOf(v));
        this.children = kids;
        this.roots = List.copyOf(top);
    }

    /**
     * Reads every process under FS. Processes are read in parallel (the work is system calls on
     * independent files); the result is in pid order all the same.
     */
    public static ProcessTree scan(ProcFs fs) {
        List<Long> pids = fs.pids();
        ProcessInfo[] read = new ProcessInfo[pids.size()];
        IntStream.range(0, read.length).parallel().forEach(i -> {
            try {
                read[i] = fs.process(pids.get(i));
            } catch (ProcessGoneException e) {
                // exited between listing and reading: not part of this snapshot
            }
        });
        Map<Long, ProcessInfo> m = new LinkedHashMap<>();
        for (ProcessInfo p : read) {
            if (p != null) {
                m.put(p.pid(), p);
            }
        }
        return new ProcessTree(m);
    }

    /** A tree over already-read processes (e.g. filtered, or built in a test). */
    public static ProcessTree of(List<ProcessInfo> processes) {
        Map<Long, ProcessInfo> m = new TreeMap<>();
        for (ProcessInfo p : processes) {
            m.put(p.pid(), p);
        }
        return new ProcessTree(new LinkedHashMap<>(m));
    }

    public Optional<ProcessInfo> get(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    /** Children of PID in the snapshot, by ascending pid. */
    public List<ProcessInfo> children(long pid) {
        List<Long> k = children.getOrDefault(pid, List.of());
        List<ProcessInfo> out = new ArrayList<>(k.size());
        for (long c : k) {
            out.add(byPid.get(c));
        }
        return out;
    }

    /** Processes whose parent is not in the snapshot (init, kthreadd, …), by ascending pid. */
    public List<ProcessInfo> roots() {
        List<ProcessInfo> out = new ArrayList<>(roots.size());
        for (long r : roots) {
            out.add(byPid.get(r));
        }
        return out;
    }

    /** Every process, by ascending pid. */
    public List<ProcessInfo> all() {
        return List.copyOf(byPid.values());
    }

    /** PID and all its descendants, depth first, children by ascending pid. */
    public List<ProcessInfo> subtree(long pid) {
        List<ProcessInfo> out = new ArrayList<>();
        ProcessInfo p = byPid.get(pid);
        if (p != null) {
            collect(p, out);
        }
        return out;
    }

    private void collect(ProcessInfo p, List<ProcessInfo> out) {
        out.add(p);
        for (ProcessInfo c : children(p.pid())) {
            collect(c, out);
        }
    }

    public int size() {
        return byPid.size();
    }
}
