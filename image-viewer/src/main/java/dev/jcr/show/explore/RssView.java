package dev.jcr.show.explore;

import dev.jcr.image.PageChain;
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

    /**
     * One process: its runs, page counts, whether the dump has its mappings (a pre-dump has none) and,
     * for an incremental dump, how many pages each parent image supplies ({@code parents}: directory
     * relative to this one, pages), nearest first.
     */
    public record Process(int pid, List<Run> runs, long presentPages, long lazyPages, long parentPages, boolean mapped,
                          List<Parent> parents) {
    }

    /** A parent image directory (relative to the dump) and how many of the process's pages come from it. */
    public record Parent(String dir, long pages) {
    }

    public static RssView of(Dump dump) {
        List<Process> out = new ArrayList<>();
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            if (!dump.hasMemory(pid)) {
                continue;
            }
            List<VmaEntry> vmas = dump.hasMm(pid) ? dump.mm(pid).getVmasList() : List.of();
            ParentPages chain = ParentPages.of(dump, pid);
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
                rows.add(new Run(r.vaddr(), r.nrPages(), r.inParent() ? chain.flags(r) : flags(r), List.copyOf(refs)));
                if (r.present()) {
                    present += r.nrPages();
                } else if (r.inParent()) {
                    parent += r.nrPages();
                } else if (r.lazy()) {
                    lazy += r.nrPages();
                }
            }
            out.add(new Process(pid, List.copyOf(rows), present, lazy, parent, dump.hasMm(pid), chain.parents()));
        }
        return new RssView(List.copyOf(out));
    }

    /** Where the parent pages of one process come from, through the chain of parent images. */
    private record ParentPages(List<String> dirs, List<PageChain.Source> sources, List<Parent> parents, String broken) {

        static ParentPages of(Dump dump, int pid) {
            try {
                PageChain c = PageChain.open(dump.path(), pid);
                List<String> dirs = c.dirs().stream().map(d -> dump.path().relativize(d).toString()).toList();
                List<Parent> parents = new ArrayList<>();
                for (int level = 1; level < c.depth(); level++) {
                    parents.add(new Parent(dirs.get(level), c.pagesAt(level)));
                }
                return new ParentPages(dirs, c.sources(), List.copyOf(parents), null);
            } catch (dev.jcr.JcrException e) {
                return new ParentPages(List.of(), List.of(), List.of(), e.getMessage());
            }
        }

        /** "parent ../d2" or "parent ../d2,../d1": the images holding the pages of parent run R. */
        String flags(ProcessMemory.Run r) {
            if (broken != null) {
                return "parent (missing)";
            }
            java.util.TreeSet<Integer> levels = new java.util.TreeSet<>();
            for (PageChain.Source s : sources) {
                if (Long.compareUnsigned(s.vaddr(), r.end()) < 0 && Long.compareUnsigned(s.end(), r.vaddr()) > 0) {
                    levels.add(s.level());
                }
            }
            List<String> names = levels.stream().map(dirs::get).toList();
            return "parent " + String.join(",", names);
        }
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
