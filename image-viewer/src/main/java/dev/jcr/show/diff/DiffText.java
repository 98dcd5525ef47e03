package dev.jcr.show.diff;

import dev.jcr.Quote;
import dev.jcr.show.text.Human;
import dev.jcr.show.text.Palette;
import dev.jcr.show.text.Palette.Role;
import dev.jcr.show.text.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link DiffReport} as a tree for a terminal: process, then part (task, thread
 * registers, memory map, pages, fds, creds, rlimits, signals), then one line per change marked
 * {@code +} added, {@code -} removed, {@code ~} changed.
 */
public final class DiffText {

    private final Palette p;
    private final int rangeLimit;
    private final boolean eachRegister;

    /** {@code rangeLimit}: page ranges shown per process (0 for all); vector registers summed up in one line. */
    public DiffText(Palette p, int rangeLimit) {
        this(p, rangeLimit, false);
    }

    /**
     * EACH_REGISTER: every changed word of every vector register on a line of its own (diff --regs);
     * without, they are one line ("vector registers  37 of 40 changed"): a JIT or libc's string
     * functions touch dozens of them between two dumps and they would drown the rest.
     */
    public DiffText(Palette p, int rangeLimit, boolean eachRegister) {
        this.p = p;
        this.rangeLimit = rangeLimit;
        this.eachRegister = eachRegister;
    }

    public List<String> render(DiffReport r) {
        List<String> out = new ArrayList<>();
        out.add(p.paint(Role.REMOVED, "--- " + r.a()));
        out.add(p.paint(Role.ADDED, "+++ " + r.b()));
        if (r.same()) {
            out.add("no differences");
            return out;
        }
        for (DiffReport.Proc x : r.removed()) {
            out.add(p.paint(Role.REMOVED, "- process " + x.pid() + " " + Quote.controls(x.comm()) + " (ppid " + x.ppid() + ")"));
        }
        for (DiffReport.Proc x : r.added()) {
            out.add(p.paint(Role.ADDED, "+ process " + x.pid() + " " + Quote.controls(x.comm()) + " (ppid " + x.ppid() + ")"));
        }
        for (ProcessDiff d : r.changed()) {
            process(d, out);
        }
        out.add(totals(r));
        return out;
    }

    private void process(ProcessDiff d, List<String> out) {
        out.add(p.title("~ process " + d.pid() + " " + Quote.controls(d.comm())));
        changes("task", d.task(), out);
        for (int t : d.threadsRemoved()) {
            out.add("  " + p.paint(Role.REMOVED, "- thread " + t));
        }
        for (int t : d.threadsAdded()) {
            out.add("  " + p.paint(Role.ADDED, "+ thread " + t));
        }
        for (ProcessDiff.ThreadDiff t : d.threads()) {
            registers(t, out);
            changes("thread " + t.tid(), t.state(), out);
        }
        ProcessDiff.VmaDiff m = d.memoryMap();
        if (!m.same()) {
            out.add("  " + p.heading("memory map"));
            Table t = Table.of("", "", "", ">", "").indent("    ");
            for (ProcessDiff.Vma v : m.removed()) {
                t.row(Table.cell("-", Role.REMOVED), range(v.start(), v.end()), v.prot(), Human.bytes(v.end() - v.start()), v.name());
            }
            for (ProcessDiff.Vma v : m.added()) {
                t.row(Table.cell("+", Role.ADDED), range(v.start(), v.end()), v.prot(), Human.bytes(v.end() - v.start()), v.name());
            }
            for (ProcessDiff.VmaChange v : m.changed()) {
                t.row(Table.cell("~", Role.CHANGED), range(v.start(), v.end()), "", "", v.name() + "  " + inline(v.changes()));
            }
            out.addAll(t.lines(p));
        }
        PageDiff pg = d.pages();
        if (!pg.same()) {
            out.add("  " + p.heading("pages") + "  " + pages(pg));
            Table t = Table.of("", "", ">", ">", "").indent("    ");
            int shown = 0;
            for (PageDiff.Range r : pg.ranges()) {
                if (rangeLimit > 0 && shown == rangeLimit) {
                    out.addAll(t.lines(p));
                    out.add("    … " + (pg.ranges().size() - shown) + " more ranges (--ranges 0 shows all)");
                    t = null;
                    break;
                }
                Role role = switch (r.kind()) {
                    case changed -> Role.CHANGED;
                    case added -> Role.ADDED;
                    case removed -> Role.REMOVED;
                };
                String mark = switch (r.kind()) {
                    case changed -> "~";
                    case added -> "+";
                    case removed -> "-";
                };
                t.row(Table.cell(mark, role), range(r.start(), r.end()), Human.plural(r.pages(), "page", "pages"),
                        r.kind() == PageDiff.Kind.changed ? Human.plural(r.differingBytes(), "byte differs", "bytes differ") : "",
                        r.mapping());
                shown++;
            }
            if (t != null) {
                out.addAll(t.lines(p));
            }
        }
        ProcessDiff.FdDiff f = d.fds();
        if (!f.same()) {
            out.add("  " + p.heading("fds"));
            Table t = Table.of("", ">", "", "").indent("    ");
            for (ProcessDiff.Fd x : f.removed()) {
                t.row(Table.cell("-", Role.REMOVED), x.fd(), x.type(), x.name());
            }
            for (ProcessDiff.Fd x : f.added()) {
                t.row(Table.cell("+", Role.ADDED), x.fd(), x.type(), x.name());
            }
            for (ProcessDiff.FdChange x : f.changed()) {
                t.row(Table.cell("~", Role.CHANGED), x.fd(), "", x.name() + "  " + inline(x.changes()));
            }
            out.addAll(t.lines(p));
        }
        changes("creds", d.creds(), out);
        changes("rlimits", d.rlimits(), out);
        changes("signals", d.signals(), out);
    }

    private void registers(ProcessDiff.ThreadDiff t, List<String> out) {
        String title = "thread " + t.tid() + " registers";
        if (eachRegister) {
            changes(title, t.registers(), out);
            return;
        }
        List<Change> plain = new ArrayList<>();
        java.util.Set<String> vectors = new java.util.TreeSet<>();
        for (Change c : t.registers()) {
            String v = VectorRegisters.of(c.field());
            if (v == null) {
                plain.add(c);
            } else {
                vectors.add(v);
            }
        }
        if (vectors.isEmpty()) {
            changes(title, plain, out);
            return;
        }
        out.add("  " + p.heading(title));
        Table table = Table.of("", "", "", "", "").indent("    ");
        for (Change c : plain) {
            table.row(Table.cell("~", Role.CHANGED), c.field(), Table.cell(c.before(), Role.REMOVED), "→", Table.cell(c.after(), Role.ADDED));
        }
        table.row(Table.cell("~", Role.CHANGED), "vector registers", vectors.size() + " of " + t.vectorRegisters() + " changed",
                "", Table.cell("(jcr-show diff --regs shows each)", Role.DIM));
        out.addAll(table.lines(p));
    }

    private void changes(String title, List<Change> changes, List<String> out) {
        if (changes.isEmpty()) {
            return;
        }
        out.add("  " + p.heading(title));
        Table t = Table.of("", "", "", "", "").indent("    ");
        for (Change c : changes) {
            t.row(Table.cell("~", Role.CHANGED), c.field(), Table.cell(c.before(), Role.REMOVED), "→", Table.cell(c.after(), Role.ADDED));
        }
        out.addAll(t.lines(p));
    }

    private String inline(List<Change> changes) {
        StringBuilder s = new StringBuilder();
        for (Change c : changes) {
            s.append(s.length() == 0 ? "" : "; ").append(c.field()).append(' ')
                    .append(c.before()).append(" → ").append(c.after());
        }
        return s.toString();
    }

    static String pages(PageDiff pg) {
        List<String> parts = new ArrayList<>();
        if (pg.changed() > 0) {
            parts.add(pg.changed() + " changed (" + Human.bytes(pg.changed() * 4096) + ", "
                    + Human.plural(pg.differingBytes(), "byte differs", "bytes differ") + ")");
        }
        if (pg.added() > 0) {
            parts.add(pg.added() + " added (" + Human.bytes(pg.added() * 4096) + ")");
        }
        if (pg.removed() > 0) {
            parts.add(pg.removed() + " removed (" + Human.bytes(pg.removed() * 4096) + ")");
        }
        return String.join(", ", parts) + " of " + pg.compared() + " compared"
                + (pg.unknown() > 0 ? ", " + pg.unknown() + " without contents (lazy)" : "");
    }

    private static String range(long s, long e) {
        return String.format("%x-%x", s, e);
    }

    private static String totals(DiffReport r) {
        long pages = r.changed().stream().mapToLong(d -> d.pages().changed()).sum();
        return "summary: " + Human.plural(r.added().size(), "process", "processes") + " added, " + r.removed().size()
                + " removed, " + r.changed().size() + " changed; " + Human.plural(pages, "page", "pages") + " changed";
    }
}
