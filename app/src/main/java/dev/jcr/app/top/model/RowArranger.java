package dev.jcr.app.top.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a snapshot and the view settings into the rows to draw, in order. Pure: no I/O, no state. */
public final class RowArranger {

    private RowArranger() {
    }

    public static List<VisibleRow> arrange(List<ProcessRow> all, ViewSettings view) {
        List<ProcessRow> processes = all.stream().filter(view::shows).toList();
        Comparator<ProcessRow> order = view.sort().order.thenComparingLong(ProcessRow::pid);
        if (view.descending()) {
            order = order.reversed();
        }
        // a thread row matches with its process (a filter on a pid keeps that process's threads)
        Set<Long> hits = new HashSet<>();
        for (ProcessRow p : processes) {
            if (p.isProcess() && p.matches(view.filter())) {
                hits.add(p.pid());
            }
        }
        java.util.function.Predicate<ProcessRow> hit = p -> p.isProcess() ? hits.contains(p.pid())
                : hits.contains(p.ppid()) || p.matches(view.filter());
        if (!view.tree()) {
            List<VisibleRow> out = new ArrayList<>();
            processes.stream().filter(hit).sorted(order)
                    .forEach(p -> out.add(new VisibleRow(p, 0, new boolean[0], true)));
            return out;
        }
        Map<Long, ProcessRow> byPid = new HashMap<>();
        for (ProcessRow p : processes) {
            byPid.put(p.pid(), p);
        }
        Set<Long> shown = new HashSet<>();
        Set<Long> matched = new HashSet<>();
        for (ProcessRow p : processes) {
            if (hit.test(p)) {
                matched.add(p.pid());
                // keep the ancestors so the match is seen where it lives
                for (ProcessRow a = p; a != null && shown.add(a.pid()); a = byPid.get(a.ppid())) {
                    // walk up until an ancestor already shown (or the root)
                }
            }
        }
        Map<Long, List<ProcessRow>> children = new HashMap<>();
        List<ProcessRow> roots = new ArrayList<>();
        for (ProcessRow p : processes) {
            if (!shown.contains(p.pid())) {
                continue;
            }
            if (p.ppid() != p.pid() && shown.contains(p.ppid())) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
            } else {
                roots.add(p);
            }
        }
        List<VisibleRow> out = new ArrayList<>(shown.size());
        roots.sort(order);
        // under a process, its threads first (as htop lists them), then its children
        Comparator<ProcessRow> siblings = Comparator.comparing(ProcessRow::isProcess).thenComparing(order);
        for (int i = 0; i < roots.size(); i++) {
            walk(roots.get(i), 0, new boolean[0], children, siblings, matched, out);
        }
        return out;
    }

    private static void walk(ProcessRow p, int depth, boolean[] last, Map<Long, List<ProcessRow>> children,
                             Comparator<ProcessRow> order, Set<Long> matched, List<VisibleRow> out) {
        // iterative over siblings, recursive over depth (process trees are shallow)
        out.add(new VisibleRow(p, depth, last, matched.contains(p.pid())));
        List<ProcessRow> kids = children.get(p.pid());
        if (kids == null) {
            return;
        }
        kids.sort(order);
        for (int i = 0; i < kids.size(); i++) {
            boolean[] childLast = java.util.Arrays.copyOf(last, depth + 1);
            childLast[depth] = i == kids.size() - 1;
            walk(kids.get(i), depth + 1, childLast, children, order, matched, out);
        }
    }
}
