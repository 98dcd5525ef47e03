package dev.jcr.app.top.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The analyzer's reports kept between refreshes, so that a refresh re-analyses only what may have changed.
 * Analysing a process reads its fds, fdinfo, sockets and maps (about 20 times the cost of reading its
 * stat), yet nearly all processes look the same from one refresh to the next.
 *
 * <p>Which processes a refresh re-analyses ({@link #plan}):
 * <ul>
 *   <li>a new process, or a pid now held by another process (the signature carries the start time);</li>
 *   <li>a process whose cheap signature changed — the caller builds it from what the refresh reads anyway
 *       plus the number of open fds (e.g. it opened or closed a file, mapped memory, started a thread,
 *       left its session);</li>
 *   <li>the focused process (the selection), always;</li>
 *   <li>round robin, the longest-unchecked others, so many that every report is at most
 *       {@code maxAgeScans} refreshes old: a change the signature cannot see (a file replaced by another
 *       under the same fd number, an open file deleted) shows within that bound.</li>
 * </ul>
 * Not thread-safe: one refresh at a time (the caller serialises them).
 *
 * @param <S> the signature type (a record: equality decides "unchanged")
 * @param <R> the report type
 */
public final class ReportCache<S, R> {

    private record Entry<S, R>(S signature, R report, long analysedAt) {
    }

    private final Map<Long, Entry<S, R>> entries = new HashMap<>();
    private final int maxAgeScans;
    private final int minBudget;
    private long scan;

    /**
     * @param maxAgeScans a report is re-analysed at least once in this many refreshes
     * @param minBudget   round-robin re-analyses per refresh at least (small machines refresh everything fast)
     */
    public ReportCache(int maxAgeScans, int minBudget) {
        if (maxAgeScans < 1 || minBudget < 0) {
            throw new IllegalArgumentException("maxAgeScans >= 1 and minBudget >= 0 expected, got " + maxAgeScans + ", " + minBudget);
        }
        this.maxAgeScans = maxAgeScans;
        this.minBudget = minBudget;
    }

    /**
     * Starts a refresh over the processes now on the machine (pid → signature) and returns the pids to
     * analyse, in CURRENT's order. Processes no longer present are forgotten.
     */
    public Set<Long> plan(Map<Long, S> current, long focus) {
        scan++;
        entries.keySet().retainAll(current.keySet());
        Set<Long> todo = new LinkedHashSet<>();
        List<Map.Entry<Long, Entry<S, R>>> unchanged = new ArrayList<>();
        for (Map.Entry<Long, S> c : current.entrySet()) {
            Entry<S, R> e = entries.get(c.getKey());
            if (e == null || !e.signature().equals(c.getValue()) || c.getKey() == focus) {
                todo.add(c.getKey());
            } else {
                unchanged.add(Map.entry(c.getKey(), e));
            }
        }
        int budget = Math.max(minBudget, (current.size() + maxAgeScans - 1) / maxAgeScans);
        unchanged.stream()
                .sorted(Comparator.comparingLong((Map.Entry<Long, Entry<S, R>> e) -> e.getValue().analysedAt())
                        .thenComparingLong(Map.Entry::getKey))
                .limit(budget)
                .forEach(e -> todo.add(e.getKey()));
        if (todo.size() == current.size()) {
            return todo;
        }
        Set<Long> ordered = new LinkedHashSet<>();
        for (Long pid : current.keySet()) {
            if (todo.contains(pid)) {
                ordered.add(pid);
            }
        }
        return ordered;
    }

    /** Records the fresh report of PID, analysed in this refresh while its signature was SIGNATURE. */
    public void put(long pid, S signature, R report) {
        entries.put(pid, new Entry<>(signature, report, scan));
    }

    /** Forgets PID (it could not be analysed: it exited, or was unreadable this time). */
    public void forget(long pid) {
        entries.remove(pid);
    }

    /** The report kept for PID if it was taken while PID had SIGNATURE. */
    public Optional<R> get(long pid, S signature) {
        Entry<S, R> e = entries.get(pid);
        return e != null && e.signature().equals(signature) ? Optional.of(e.report()) : Optional.empty();
    }

    /** Refreshes since PID's report was taken (0: this one); -1 when there is none. */
    public long age(long pid) {
        Entry<S, R> e = entries.get(pid);
        return e == null ? -1 : scan - e.analysedAt();
    }

    public int size() {
        return entries.size();
    }
}
