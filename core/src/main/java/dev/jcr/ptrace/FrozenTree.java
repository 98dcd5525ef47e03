package dev.jcr.ptrace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process tree frozen at one instant: every process (parents before children) with every thread.
 * Zombie processes are listed (they cannot be traced; their exit code is in /proc) with no threads.
 */
public record FrozenTree(int root, List<FrozenProcess> processes) {

    public FrozenTree {
        processes = List.copyOf(processes);
    }

    /** One process of the tree as seen while frozen. {@code threads} starts with the leader when it lives. */
    public record FrozenProcess(int pid, int ppid, int pgid, int sid, List<Integer> threads, boolean zombie,
            int groupStopSignal) {
        public FrozenProcess {
            threads = List.copyOf(threads);
        }

        /** True when the process was stopped (SIGSTOP …) before jcr came; it stays stopped after detach. */
        public boolean stopped() {
            return groupStopSignal != 0;
        }
    }

    public Optional<FrozenProcess> process(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst();
    }

    /** Every pid and tid of the tree, zombies included (what a restore needs free). */
    public List<Integer> allIds() {
        List<Integer> all = new ArrayList<>();
        for (FrozenProcess p : processes) {
            if (!p.threads().contains(p.pid())) {
                all.add(p.pid());
            }
            all.addAll(p.threads());
        }
        return all;
    }

    /** Every traced thread id of the tree. */
    public List<Integer> allThreads() {
        List<Integer> all = new ArrayList<>();
        processes.forEach(p -> all.addAll(p.threads()));
        return all;
    }
}
