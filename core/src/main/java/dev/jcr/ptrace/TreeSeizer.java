package dev.jcr.ptrace;

import dev.jcr.JcrException;
import dev.jcr.ptrace.FrozenTree.FrozenProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Freezes a process tree consistently. A pass walks every known process: seizes and interrupts
 * each thread not yet traced (all of a process's new threads first, then waits for their stops), and
 * collects children from /proc/PID/task/TID/children. A stopped task can create nothing, so once a
 * full pass over stopped tasks finds no new thread and no new child, the set is complete: threads or
 * children created while freezing were caught by the next pass.
 */
final class TreeSeizer {

    private final Tracer tracer;
    private final ProcFiles proc;

    TreeSeizer(Tracer tracer, ProcFiles proc) {
        this.tracer = tracer;
        this.proc = proc;
    }

    FrozenTree seize(int root) {
        if (!proc.exists(root) || proc.tgid(root) != root) {
            throw new NoSuchProcessException(root);
        }
        List<Integer> seizedHere = new ArrayList<>();
        Map<Integer, Set<Integer>> threads = new LinkedHashMap<>();
        Set<Integer> zombies = new LinkedHashSet<>();
        threads.put(root, new LinkedHashSet<>());
        try {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Integer pid : new ArrayList<>(threads.keySet())) {
                    if (zombies.contains(pid)) {
                        continue;
                    }
                    changed |= seizeThreads(pid, threads.get(pid), zombies, seizedHere);
                    for (int child : proc.children(pid)) {
                        if (!threads.containsKey(child)) {
                            threads.put(child, new LinkedHashSet<>());
                            changed = true;
                        }
                    }
                }
            }
            if (threads.get(root).isEmpty() && !zombies.contains(root)) {
                throw new NoSuchProcessException(root);
            }
            return describe(root, threads, zombies);
        } catch (RuntimeException e) {
            // nothing lost: let every task we took go again before reporting
            for (int tid : seizedHere) {
                try {
                    tracer.detach(tid);
                } catch (JcrException ignored) {
                    // gone meanwhile
                }
            }
            throw e;
        }
    }

    /** Seizes the untraced threads of PID; returns true if any new thread was found. */
    private boolean seizeThreads(int pid, Set<Integer> known, Set<Integer> zombies, List<Integer> seizedHere) {
        List<TracedTask> fresh = new ArrayList<>();
        List<Integer> tids = proc.tasks(pid);
        if (tids.isEmpty()) {
            return false; // gone
        }
        boolean changed = false;
        for (int tid : tids) {
            if (known.contains(tid)) {
                continue;
            }
            char state = proc.state(pid, tid);
            if (state == 'Z' || state == 'X') {
                if (tid == pid && tids.size() == 1) {
                    zombies.add(pid);
                    return true;
                }
                continue; // a dead thread (e.g. an exited leader) cannot stop; the others carry the process
            }
            if (tracer.isTraced(tid)) {
                throw new TraceException(tid, "already traced by this tracer (overlapping trees?)");
            }
            TracedTask t = tracer.attach(tid, pid, Tracer.BASE_OPTIONS);
            if (t != null) {
                seizedHere.add(tid);
                fresh.add(t);
            }
            changed = true;
        }
        for (TracedTask t : fresh) {
            if (tracer.awaitFreezeStop(t)) {
                known.add(t.tid());
            } else {
                seizedHere.remove((Integer) t.tid());
            }
        }
        return changed;
    }

    private FrozenTree describe(int root, Map<Integer, Set<Integer>> threads, Set<Integer> zombies) {
        List<FrozenProcess> out = new ArrayList<>();
        for (Map.Entry<Integer, Set<Integer>> e : threads.entrySet()) {
            int pid = e.getKey();
            boolean zombie = zombies.contains(pid);
            if (!zombie && e.getValue().isEmpty()) {
                continue; // vanished while we looked
            }
            Optional<String[]> stat = proc.stat(pid, pid);
            int ppid = stat.map(f -> Integer.parseInt(f[1])).orElse(0);
            int pgid = stat.map(f -> Integer.parseInt(f[2])).orElse(0);
            int sid = stat.map(f -> Integer.parseInt(f[3])).orElse(0);
            List<Integer> tids = new ArrayList<>(e.getValue());
            tids.sort((a, b) -> a == pid ? -1 : b == pid ? 1 : Integer.compare(a, b));
            int stopSig = 0;
            for (int tid : tids) {
                stopSig = Math.max(stopSig, tracer.require(tid).groupStopSignal());
            }
            out.add(new FrozenProcess(pid, ppid, pgid, sid, tids, zombie, stopSig));
        }
        return new FrozenTree(root, out);
    }
}
