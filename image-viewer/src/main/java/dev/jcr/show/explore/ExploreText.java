package dev.jcr.show.explore;

import dev.jcr.Quote;
import dev.jcr.show.text.Human;
import dev.jcr.show.text.Palette;
import dev.jcr.show.text.Palette.Role;
import dev.jcr.show.text.Table;
import java.util.ArrayList;
import java.util.List;

/** Renders the explorer views as aligned text for a terminal. */
public final class ExploreText {

    private final Palette p;

    public ExploreText(Palette p) {
        this.p = p;
    }

    public List<String> ps(PsView v) {
        Table t = Table.of(">PID", ">PPID", ">PGID", ">SID", ">THR", "STATE", "COMM");
        for (PsView.Row r : v.rows()) {
            t.row(r.pid(), r.ppid(), r.pgid(), r.sid(), r.threads(),
                    Table.cell(r.state(), "alive".equals(r.state()) ? Role.PLAIN : Role.WARN),
                    "  ".repeat(r.depth()) + r.comm());
        }
        return t.lines(p);
    }

    public List<String> fds(FdsView v) {
        List<String> out = new ArrayList<>();
        for (FdsView.Process proc : v.processes()) {
            out.add(p.title(proc.pid() + " " + Quote.controls(proc.comm())));
            Table t = Table.of(">FD", "TYPE", "FLAGS", ">POS", "NAME").indent("  ");
            for (FdsView.Fd fd : proc.fds()) {
                t.row(fd.fd(), fd.type(), fd.flags() + (fd.cloexec() ? (fd.flags().isEmpty() ? "" : " ") + "cloexec" : ""),
                        fd.pos() == null ? "" : Long.toUnsignedString(fd.pos()), fd.name());
            }
            if (proc.cwd() != null) {
                t.row("cwd", "", "", "", proc.cwd());
                t.row("root", "", "", "", proc.root());
            }
            out.addAll(t.lines(p));
        }
        return out;
    }

    public List<String> mems(MemsView v) {
        List<String> out = new ArrayList<>();
        for (MemsView.Process proc : v.processes()) {
            out.add(p.title(proc.pid() + " " + Quote.controls(proc.comm())) + "  exe " + Quote.controls(proc.exe()));
            Table t = Table.of("START", "END", ">SIZE", "PROT", ">DUMPED", "NAME").indent("  ");
            boolean special = false;
            for (MemsView.Vma m : proc.vmas()) {
                special |= !m.regular();
                t.row(String.format("%012x", m.start()), String.format("%012x", m.end()), Human.bytes(m.size()), m.prot(),
                        m.dumpedPages() == 0 ? Table.cell("-", Role.DIM) : Table.cell(Long.toString(m.dumpedPages()), Role.NUMBER),
                        m.name() + (m.regular() ? "" : " *"));
            }
            out.addAll(t.lines(p));
            out.add("  " + Human.plural(proc.vmas().size(), "mapping", "mappings") + ", " + Human.bytes(proc.mappedBytes())
                    + " mapped, " + Human.pages(proc.dumpedPages()) + " dumped"
                    + (special ? "; * = not an ordinary area (kernel-provided, not restored as memory)" : ""));
        }
        return out;
    }

    public List<String> rss(RssView v) {
        List<String> out = new ArrayList<>();
        for (RssView.Process proc : v.processes()) {
            out.add(p.title(Integer.toString(proc.pid())));
            Table t = Table.of("ADDR", ">PAGES", "FLAGS", "VMA", ">VMA PAGES", "NAME").indent("  ");
            for (RssView.Run r : proc.runs()) {
                if (r.vmas().isEmpty()) {
                    t.row(String.format("%012x", r.vaddr()), r.pages(), r.flags(), Table.cell("(no mapping)", Role.WARN));
                }
                boolean first = true;
                for (RssView.VmaRef ref : r.vmas()) {
                    Object addr = first ? String.format("%012x", r.vaddr()) : "";
                    Object pages = first ? Long.toString(r.pages()) : "";
                    Object flags = first ? r.flags() : "";
                    if (ref.sameAsPrevious()) {
                        t.row(addr, pages, flags, Table.cell("~", Role.DIM));
                    } else {
                        t.row(addr, pages, flags, String.format("%012x", ref.start()), ref.pages(), ref.name());
                    }
                    first = false;
                }
            }
            out.addAll(t.lines(p));
            out.add("  " + Human.pages(proc.presentPages()) + " in this dump"
                    + (proc.lazyPages() > 0 ? ", " + proc.lazyPages() + " lazy" : "")
                    + (proc.parentPages() > 0 ? ", " + proc.parentPages() + " in the parent dump" : ""));
        }
        return out;
    }

    public List<String> sk(SkView v) {
        if (v.sockets().isEmpty()) {
            return List.of("no sockets in this dump");
        }
        Table t = Table.of(">ID", "FAMILY", "TYPE", "STATE", ">INO", "LOCAL", "REMOTE", ">QUEUED", "FDS");
        for (SkView.Socket s : v.sockets()) {
            t.row(s.id(), s.family(), s.type(), s.state(), s.ino() == 0 ? "" : Long.toString(s.ino()), s.local(), s.remote(),
                    s.queuedPackets() == 0 ? "" : Human.bytes(s.queuedBytes()) + " in " + s.queuedPackets(),
                    s.holders().isEmpty() ? Table.cell("(no fd)", Role.DIM) : String.join(" ", s.holders()));
        }
        return t.lines(p);
    }
}
