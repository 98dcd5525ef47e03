package dev.jcr.show.explore;

import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.FileNames;
import dev.jcr.show.model.Tasks;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code x DIR mems}: the memory map of every process, one row per mapping with its protection,
 * its name (file + offset, [stack], [vdso] ...), its size, and how many of its pages the dump holds.
 */
public record MemsView(List<Process> processes) {

    /**
     * One mapping. {@code dumpedPages} counts pages with contents in this dump (PE_PRESENT);
     * {@code regular} is false for areas CRIU does not restore as ordinary memory (vsyscall ...).
     */
    public record Vma(long start, long end, String prot, String name, String status, boolean regular, long dumpedPages) {
        public long size() {
            return end - start;
        }
    }

    public record Process(int pid, String comm, String exe, List<Vma> vmas, long mappedBytes, long dumpedPages) {
    }

    public static MemsView of(Dump dump) {
        List<Process> out = new ArrayList<>();
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            if (!dump.hasMm(pid)) {
                continue; // a zombie has no memory
            }
            MmEntry mm = dump.mm(pid);
            List<ProcessMemory.Run> runs = runs(dump, pid);
            List<Vma> vmas = new ArrayList<>();
            long mapped = 0;
            long dumped = 0;
            int r = 0;
            for (VmaEntry v : mm.getVmasList()) {
                // runs and VMAs are both in address order: walk them together
                while (r < runs.size() && Long.compareUnsigned(runs.get(r).end(), v.getStart()) <= 0) {
                    r++;
                }
                long pages = 0;
                for (int i = r; i < runs.size() && Long.compareUnsigned(runs.get(i).vaddr(), v.getEnd()) < 0; i++) {
                    ProcessMemory.Run run = runs.get(i);
                    if (run.present()) {
                        pages += overlapPages(run.vaddr(), run.end(), v.getStart(), v.getEnd());
                    }
                }
                vmas.add(new Vma(v.getStart(), v.getEnd(), FileNames.prot(v), dump.names().vma(mm, v),
                        FileNames.status(v.getStatus()), (v.getStatus() & FileNames.VMA_REGULAR) != 0, pages));
                mapped += v.getEnd() - v.getStart();
                dumped += pages;
            }
            out.add(new Process(pid, Tasks.comm(dump.core(pid)), dump.names().path(mm.getExeFileId()), List.copyOf(vmas), mapped, dumped));
        }
        return new MemsView(List.copyOf(out));
    }

    static List<ProcessMemory.Run> runs(Dump dump, int pid) {
        if (!dump.hasMemory(pid)) {
            return List.of();
        }
        try (ProcessMemory pm = dump.memory(pid)) {
            return pm.runs();
        }
    }

    static long overlapPages(long aStart, long aEnd, long bStart, long bEnd) {
        long s = Long.compareUnsigned(aStart, bStart) > 0 ? aStart : bStart;
        long e = Long.compareUnsigned(aEnd, bEnd) < 0 ? aEnd : bEnd;
        return Long.compareUnsigned(e, s) > 0 ? (e - s) / ProcessMemory.PAGE_SIZE : 0;
    }
}
