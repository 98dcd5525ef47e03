package dev.jcr.app.cli;

import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.TreeReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@code jcr check} and a refused {@code jcr dump} list the resources of a tree: grouped by
 * resource kind (a heading with the count, kinds in the order they first occur), one resource per
 * line, marked {@code no} / {@code opt} / {@code ok}, a descendant's resources with its pid. One
 * formatter for both, so a refusal reads exactly like the check that explains it.
 */
public final class BlockerText {

    private BlockerText() {
    }

    /** One resource of the list; WHO is empty for the tree's root, else "pid 4243 (child): ". */
    private record Item(String who, Assessment assessment) {
    }

    /** The blockers of T (what dump refuses), grouped by kind. */
    public static List<String> blockers(TreeReport t) {
        List<Item> items = new ArrayList<>();
        for (TreeReport.Blocker b : t.blockers()) {
            items.add(new Item(who(t, b.pid(), b.comm()), b.assessment()));
        }
        return grouped(items);
    }

    /** Every resource of every process of T, supported ones too (check -a), grouped by kind. */
    public static List<String> all(TreeReport t) {
        List<Item> items = new ArrayList<>();
        for (ProcessReport p : t.processes()) {
            for (Assessment a : p.assessments()) {
                items.add(new Item(who(t, p.pid(), p.comm()), a));
            }
        }
        return grouped(items);
    }

    /**
     * What a refused dump prints: a summary line ("refused: 13 resources in 3 processes of the tree of
     * 9580 (nginx) cannot be checkpointed"), then the blockers as {@link #blockers} lists them.
     */
    public static List<String> refusal(TreeReport t) {
        if (t.blockers().size() == 1 && t.blockers().get(0).pid() == t.root()
                && t.blockers().get(0).assessment().resource().equals("process")) {
            // the process itself (init, a kernel thread, a zombie, jcr): one sentence says it all
            TreeReport.Blocker b = t.blockers().get(0);
            return List.of("refused: " + b.pid() + " (" + b.comm() + ") cannot be checkpointed: " + b.assessment().reason());
        }
        List<String> out = new ArrayList<>();
        out.add("refused: " + summary(t));
        out.addAll(blockers(t));
        return out;
    }

    /** The refusal's summary, without "refused: ". */
    static String summary(TreeReport t) {
        ProcessReport root = t.rootReport();
        String what = count(t.blockers().size(), "resource", "resources");
        long processes = t.blockers().stream().map(TreeReport.Blocker::pid).distinct().count();
        String where = (processes > 1 ? " in " + processes + " processes of the tree of " : " of ")
                + root.pid() + " (" + root.comm() + ")";
        return switch (t.cause().orElse(TreeReport.Cause.UNSUPPORTED)) {
            case PERMISSION -> what + where + " cannot be read (permission denied)";
            case TRACED -> {
                TreeReport.Blocker b = t.first(TreeReport.Cause.TRACED).orElseThrow();
                yield "pid " + b.pid() + " is traced by pid " + b.tracerPid()
                        + " (a process has only one tracer; detach it first); " + what + where + " in the way";
            }
            case UNSUPPORTED -> what + where + (t.onlyOptionsMissing()
                    ? (t.blockers().size() == 1 ? " needs " : " need ") + String.join(" ", options(t))
                    : " cannot be checkpointed");
        };
    }

    /** "13 blockers in 3 processes", "1 blocker": how many and, when several, in how many processes. */
    static String blockerCount(TreeReport t) {
        long processes = t.blockers().stream().map(TreeReport.Blocker::pid).distinct().count();
        return count(t.blockers().size(), "blocker", "blockers") + (processes > 1 ? " in " + processes + " processes" : "");
    }

    private static Set<String> options(TreeReport t) {
        Set<String> out = new LinkedHashSet<>();
        t.blockers().forEach(b -> out.add(b.assessment().option()));
        return out;
    }

    private static String who(TreeReport t, long pid, String comm) {
        return pid == t.root() ? "" : "pid " + pid + " (" + comm + "): ";
    }

    private static List<String> grouped(List<Item> items) {
        Map<ResourceKind, List<Item>> byKind = new LinkedHashMap<>();
        for (Item i : items) {
            byKind.computeIfAbsent(i.assessment().kind(), k -> new ArrayList<>()).add(i);
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<ResourceKind, List<Item>> e : byKind.entrySet()) {
            out.add("  " + e.getKey().words() + " (" + e.getValue().size() + ")");
            for (Item i : e.getValue()) {
                out.add("    " + line(i.who(), i.assessment()));
            }
        }
        return out;
    }

    /** "no   pid 4243 (child): fd 7: inotify …: not supported yet", "opt  session: … [--shell-job]". */
    private static String line(String who, Assessment a) {
        String mark = switch (a.verdict()) {
            case SUPPORTED -> "ok   ";
            case NEEDS_OPTION -> "opt  ";
            case UNSUPPORTED -> "no   ";
        };
        return mark + who + a.message() + (a.option() != null ? " [" + a.option() + "]" : "");
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
