package dev.jcr.show.summary;

import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageChain;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.DumpStatsEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.explore.SkView;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.Tasks;
import java.io.IOException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one screen a person reads first about an image directory: its processes and threads, memory
 * mapped against memory dumped, files and sockets, what the image files weigh, the dumper's own
 * statistics, and what jcr could not restore. A plain record so that jcr-top's image browser can
 * show it as well as {@code jcr-show summary}.
 */
public record Summary(String dir, int imageVersion, int processCount, int threadCount, List<Proc> processes,
                      Memory memory, Files files, int sockets, Images images, Stats stats,
                      List<Restorability.Blocker> blockers, boolean preDump, List<Link> chain, String chainProblem) {

    /**
     * One directory of an incremental chain, this one first: how many of this dump's pages it holds
     * (through the parent links, each page from the newest dump that has it) and whether it is a pre-dump.
     */
    public record Link(String dir, boolean preDump, long pages) {
    }

    /** One process: ids, threads, state, command, and what it holds. */
    public record Proc(int pid, int ppid, int threads, String state, String comm, int vmas, long mappedBytes,
                       long dumpedPages, int fds) {
    }

    /** Memory over all processes: mapped bytes in mappings, pages with contents here, lazy and parent pages. */
    public record Memory(int vmas, long mappedBytes, long dumpedPages, long lazyPages, long parentPages) {
        public long dumpedBytes() {
            return dumpedPages * ProcessMemory.PAGE_SIZE;
        }
    }

    /** Open fds over all processes, the distinct file objects they share, and fds per kind (sorted by kind). */
    public record Files(int fds, int objects, Map<String, Integer> byType) {
    }

    /** The image files: how many, their total size, and bytes per image kind (largest first). */
    public record Images(int files, long bytes, Map<String, Long> bytesByKind) {
    }

    /** CRIU's dump statistics (stats-dump), times in microseconds; null when the dump has none. */
    public record Stats(long freezingUs, long frozenUs, long memdumpUs, long memwriteUs, long pagesScanned,
                        long pagesWritten, long pagesSkippedParent, long pagesLazy) {
    }

    public static Summary of(Path dir) {
        return of(Dump.open(dir));
    }

    public static Summary of(Dump dump) {
        List<Proc> procs = new ArrayList<>();
        int vmas = 0;
        long mapped = 0;
        long dumped = 0;
        long lazy = 0;
        long parent = 0;
        int fdCount = 0;
        Set<Integer> objects = new HashSet<>();
        Map<String, Integer> byType = new TreeMap<>();
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            int pv = 0;
            long pm = 0;
            long pd = 0;
            if (dump.hasMm(pid)) {
                for (VmaEntry v : dump.mm(pid).getVmasList()) {
                    pv++;
                    pm += v.getEnd() - v.getStart();
                }
            }
            if (dump.hasMemory(pid)) {
                try (ProcessMemory mem = dump.memory(pid)) {
                    for (ProcessMemory.Run r : mem.runs()) {
                        if (r.present()) {
                            pd += r.nrPages();
                        } else if (r.inParent()) {
                            parent += r.nrPages();
                        } else if (r.lazy()) {
                            lazy += r.nrPages();
                        }
                    }
                }
            }
            List<FdinfoEntry> fds = dump.fds(pid);
            for (FdinfoEntry fd : fds) {
                objects.add(fd.getId());
                byType.merge(dump.file(fd.getId()).map(FileEntry::getType).orElse(fd.getType()).name().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
            fdCount += fds.size();
            vmas += pv;
            mapped += pm;
            dumped += pd;
            procs.add(dump.preDump() ? new Proc(pid, 0, 0, "pre-dump", "", 0, 0, pd, 0)
                    : new Proc(pid, p.getPpid(), Dump.threads(p).size(), Tasks.state(dump.core(pid)), Tasks.comm(dump.core(pid)),
                    pv, pm, pd, fds.size()));
        }
        List<Link> chain = new ArrayList<>();
        String problem = chain(dump, chain);
        List<Restorability.Blocker> blockers = new ArrayList<>(dump.preDump() ? List.of() : Restorability.of(dump));
        if (dump.preDump()) {
            blockers.add(new Restorability.Blocker(0, "this directory", "a pre-dump", "UNSUPPORTED",
                    "memory only: restore the dump made with --prev-images-dir pointing here", null));
        }
        if (problem != null) {
            blockers.add(new Restorability.Blocker(0, "parent images", "the chain of parents", "UNSUPPORTED", problem, null));
        }
        return new Summary(dump.path().toString(), dump.inventory().getImgVersion(), procs.size(),
                dump.preDump() ? 0 : dump.threadCount(), List.copyOf(procs), new Memory(vmas, mapped, dumped, lazy, parent),
                new Files(fdCount, objects.size(), byType), dump.preDump() ? 0 : SkView.of(dump).sockets().size(), images(dump),
                dump.stats().filter(s -> s.hasDump()).map(s -> stats(s.getDump())).orElse(null), List.copyOf(blockers),
                dump.preDump(), List.copyOf(chain), problem);
    }

    /**
     * Fills OUT with the chain of DUMP (itself first) and how many pages each link supplies; returns
     * what is wrong with the chain, or null. A dump without parent link is a chain of one.
     */
    public static String chain(Dump dump, List<Link> out) {
        List<Path> dirs = new ArrayList<>(List.of(dump.path()));
        String problem = null;
        try {
            dirs.addAll(dump.parents());
        } catch (dev.jcr.JcrException e) {
            problem = e.getMessage();
        }
        long[] pages = new long[dirs.size()];
        if (problem == null) {
            for (PstreeEntry p : dump.processes()) {
                if (!dump.hasMemory(p.getPid())) {
                    continue;
                }
                try {
                    PageChain c = PageChain.open(dump.path(), p.getPid());
                    for (int level = 0; level < pages.length; level++) {
                        pages[level] += c.pagesAt(level);
                    }
                } catch (dev.jcr.JcrException e) {
                    problem = e.getMessage();
                    break;
                }
            }
        }
        for (int level = 0; level < dirs.size(); level++) {
            out.add(new Link(level == 0 ? dirs.get(0).toString() : dump.path().relativize(dirs.get(level)).toString(),
                    level == 0 ? dump.preDump() : isPreDump(dirs.get(level)), pages[level]));
        }
        return problem;
    }

    private static boolean isPreDump(Path dir) {
        try {
            return Dump.open(dir).preDump();
        } catch (dev.jcr.JcrException e) {
            return false;
        }
    }

    static Stats stats(DumpStatsEntry d) {
        return new Stats(Integer.toUnsignedLong(d.getFreezingTime()), Integer.toUnsignedLong(d.getFrozenTime()),
                Integer.toUnsignedLong(d.getMemdumpTime()), Integer.toUnsignedLong(d.getMemwriteTime()),
                d.getPagesScanned(), d.getPagesWritten(), d.getPagesSkippedParent(), d.getPagesLazy());
    }

    static Images images(Dump dump) {
        Map<String, Long> byKind = new TreeMap<>();
        long total = 0;
        List<Path> files = dump.images().files();
        for (Path f : files) {
            long size;
            try {
                size = java.nio.file.Files.size(f);
            } catch (IOException e) {
                throw ImageIoException.of(f, "read the size of", e);
            }
            total += size;
            String name = f.getFileName().toString();
            String kind = ImageKind.byFileName(name).map(k -> k.name().toLowerCase(Locale.ROOT).replace('_', '-')).orElse("other");
            byKind.merge(kind, size, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Images(files.size(), total, sorted);
    }
}
