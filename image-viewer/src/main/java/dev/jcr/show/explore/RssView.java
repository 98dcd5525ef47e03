package dev.jcr.show.explore;

import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.model.Dump;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code x DIR rss}: the resident (dumped) pages of every process against its mappings: one row per
 * pagemap run with the mappings it falls into ({@code sameAsPrevious} when a mapping continues from
 * the previous run, crit's {@code ~}).
 */
public record RssView(List<Process> processes) {

    public record VmaRef(long start, long pages, String name, boolean sameAsPrevious) {
    }

    /** A pagemap run: start, pages, flags in words (present, lazy, parent), and its mappings. */
    public record Run(long vaddr, long pages, String flags, List<VmaRef> vmas) {
    }

    public record Process(int pid, List<Run> runs, long presentPages, long lazyPages, long parentPages) {
    }

    public static RssView of(Dump dump) {
        List<Process> out = new ArrayList<>();
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            if (!dump.hasMm(pid) || !dump.hasMemory(pid)) {
                continue;
            }
            List<VmaEntry> vmas = dump.mm(pid).getVmasList();
            List<ProcessMemory.Run> runs = MemsView.runs(dump, pid);
            List<Run> rows = new ArrayList<>();
            long present = 0;
            long lazy = 0;
            long parent = 0;
            int vi = 0;
            int previous = -1;
            for (ProcessMemory.Run r : runs) {
                while (vi < vmas.size() && Long.compareUnsigned(vmas.get(vi).getEnd(), r.vaddr()) <= 0) {
                    vi++;
                }
                List<VmaRef> refs = new ArrayList<>();
                int i = vi;
                for (; i < vmas.size() && Long.compareUnsigned(vmas.get(i).getStart(), r.end()) < 0; i++) {
                    VmaEntry v = vmas.get(i);
                    refs.add(new VmaRef(v.getStart(), (v.getEnd() - v.getStart()) / ProcessMemory.PAGE_SIZE,
                            dump.names().vma(dump.mm(pid), v), i == previous));
                    previous = i;
                }
                rows.add(new Run(r.vaddr(), r.nrPages(), flags(r), List.copyOf(refs)));
                if (r.present()) {
                    present += r.nrPages();
                } else if (r.inParent()) {
                    parent += r.nrPages();
                } else if (r.lazy()) {
                    lazy += r.nrPages();
                }
            }
            out.add(new Process(pid, List.copyOf(rows), present, lazy, parent));
        }
        return new RssView(List.copyOf(out));
    }

    static String flags(ProcessMemory.Run r) {
        List<String> f = new ArrayList<>();
        if (r.present()) {
            f.add("present");
        }
        if (r.lazy()) {
            f.add("lazy");
        }
        if (r.inParent()) {
            f.add("parent");
        }
        return f.isEmpty() ? "none" : String.join(",", f);
    }

}
