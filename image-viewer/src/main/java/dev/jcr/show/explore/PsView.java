package dev.jcr.show.explore;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.Tasks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code x DIR ps}: the process tree, parents before children, siblings by pid. */
public record PsView(List<Row> rows) {

    /** One process; {@code depth} is its level in the tree (0 for a root). */
    public record Row(int pid, int ppid, int pgid, int sid, int depth, int threads, String state, String comm) {
    }

    public static PsView of(Dump dump) {
        Map<Integer, List<PstreeEntry>> kids = new TreeMap<>();
        Set<Integer> pids = dump.processes().stream().map(PstreeEntry::getPid).collect(Collectors.toSet());
        List<PstreeEntry> roots = new ArrayList<>();
        for (PstreeEntry p : dump.processes()) {
            if (p.getPpid() == 0 || !pids.contains(p.getPpid()) || p.getPpid() == p.getPid()) {
                roots.add(p);
            } else {
                kids.computeIfAbsent(p.getPpid(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Row> rows = new ArrayList<>();
        roots.sort(Comparator.comparingInt(PstreeEntry::getPid));
        for (PstreeEntry r : roots) {
            walk(dump, r, 0, kids, rows);
        }
        return new PsView(List.copyOf(rows));
    }

    private static void walk(Dump dump, PstreeEntry p, int depth, Map<Integer, List<PstreeEntry>> kids, List<Row> out) {
        CoreEntry core = dump.core(p.getPid());
        out.add(new Row(p.getPid(), p.getPpid(), p.getPgid(), p.getSid(), depth, Dump.threads(p).size(),
                Tasks.state(core), Tasks.comm(core)));
        if (depth > 1000) {
            return; // a corrupt pstree with a cycle must not recurse forever
        }
        for (PstreeEntry k : kids.getOrDefault(p.getPid(), List.of()).stream()
                .sorted(Comparator.comparingInt(PstreeEntry::getPid)).toList()) {
            walk(dump, k, depth + 1, kids, out);
        }
    }
}
