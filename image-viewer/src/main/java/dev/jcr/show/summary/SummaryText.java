package dev.jcr.show.summary;

import dev.jcr.show.text.Human;
import dev.jcr.show.text.Palette;
import dev.jcr.show.text.Palette.Role;
import dev.jcr.show.text.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link Summary} as one screen of text: a label column and short lines. */
public final class SummaryText {

    private static final int LABEL = 11;
    private final Palette p;

    public SummaryText(Palette p) {
        this.p = p;
    }

    public List<String> render(Summary s) {
        List<String> out = new ArrayList<>();
        Summary.Images im = s.images();
        line(out, "Checkpoint", s.dir() + "  (" + Human.plural(im.files(), "image file", "image files") + ", "
                + Human.bytes(im.bytes()) + ", format v" + (s.imageVersion() == 2 ? "1.1" : Integer.toString(s.imageVersion())) + ")");
        line(out, "Processes", Human.plural(s.processCount(), "process", "processes") + ", "
                + Human.plural(s.threadCount(), "thread", "threads"));
        Table t = Table.of(">PID", ">PPID", ">THR", "STATE", "COMM", ">VMAS", ">MAPPED", ">DUMPED", ">FDS").indent("  ");
        for (Summary.Proc pr : s.processes()) {
            t.row(pr.pid(), pr.ppid(), pr.threads(), Table.cell(pr.state(), "alive".equals(pr.state()) ? Role.PLAIN : Role.WARN),
                    pr.comm(), pr.vmas(), Human.bytes(pr.mappedBytes()), Human.bytes(pr.dumpedPages() * 4096), pr.fds());
        }
        out.addAll(t.lines(p));
        Summary.Memory m = s.memory();
        line(out, "Memory", Human.bytes(m.mappedBytes()) + " mapped in " + Human.plural(m.vmas(), "mapping", "mappings")
                + "; " + Human.pages(m.dumpedPages()) + " dumped"
                + (m.mappedBytes() > 0 ? String.format(java.util.Locale.ROOT, " (%.1f%% of mapped)", 100.0 * m.dumpedBytes() / m.mappedBytes()) : "")
                + (m.lazyPages() > 0 ? ", " + m.lazyPages() + " lazy" : "")
                + (m.parentPages() > 0 ? ", " + m.parentPages() + " in the parent dump" : ""));
        Summary.Files f = s.files();
        line(out, "Files", Human.plural(f.fds(), "fd", "fds") + " on " + Human.plural(f.objects(), "file object", "file objects")
                + (f.byType().isEmpty() ? "" : ": " + f.byType().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))));
        line(out, "Sockets", s.sockets() == 0 ? "none" : s.sockets() + " (see x DIR sk)");
        line(out, "Images", im.bytesByKind().entrySet().stream().limit(5)
                .map(e -> e.getKey() + " " + Human.bytes(e.getValue())).collect(Collectors.joining(", "))
                + (im.bytesByKind().size() > 5 ? ", " + others(im.bytesByKind()) : ""));
        Summary.Stats st = s.stats();
        if (st == null) {
            line(out, "Dump stats", p.paint(Role.DIM, "none (no stats-dump)"));
        } else {
            line(out, "Dump stats", "frozen " + Human.micros(st.frozenUs()) + " (freezing " + Human.micros(st.freezingUs())
                    + "), memory dump " + Human.micros(st.memdumpUs()) + ", write " + Human.micros(st.memwriteUs()));
            line(out, "", "pages scanned " + st.pagesScanned() + ", written " + st.pagesWritten()
                    + ", skipped (in parent) " + st.pagesSkippedParent() + ", lazy " + st.pagesLazy());
        }
        if (s.blockers().isEmpty()) {
            line(out, "Restore", p.paint(Role.ADDED, "nothing in these images stands in jcr's way"));
        } else {
            java.util.Set<String> options = new java.util.TreeSet<>();
            s.blockers().forEach(x -> options.add(x.option() == null ? "" : x.option()));
            if (!options.contains("")) {
                // only options missing: say what to run, not that jcr cannot
                String opts = String.join(" ", options);
                line(out, "Restore", p.paint(Role.CHANGED, "restorable with " + opts + " (jcr restore " + opts + " -D " + s.dir() + "):"));
            } else {
                long optional = s.blockers().stream().filter(x -> x.option() != null).count();
                line(out, "Restore", p.paint(Role.WARN, Human.plural(s.blockers().size(), "thing", "things")
                        + " jcr cannot restore as is" + (optional > 0 ? " (" + optional + " only need an option)" : "") + ":"));
            }
            Table b = Table.of("", "", "", "").indent(" ".repeat(LABEL + 3));
            for (Restorability.Blocker x : s.blockers()) {
                String verdict = x.option() != null ? "needs " + x.option() : x.verdict().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
                String why = x.option() != null && x.why().startsWith(x.option() + ": ") ? x.why().substring(x.option().length() + 2) : x.why();
                b.row(x.where(), x.what(), Table.cell(verdict, "UNSUPPORTED".equals(x.verdict()) ? Role.WARN : Role.CHANGED), why);
            }
            out.addAll(b.lines(p));
        }
        return out;
    }

    private static String others(Map<String, Long> byKind) {
        long n = byKind.size() - 5L;
        long bytes = byKind.values().stream().skip(5).mapToLong(Long::longValue).sum();
        return n + " other kinds " + Human.bytes(bytes);
    }

    private void line(List<String> out, String label, String text) {
        String l = String.format("%-" + LABEL + "s", label);
        out.add(p.heading(l) + "  " + text);
    }
}
