package dev.jcr.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The memory of one process through a chain of incremental dumps: each image directory may link to
 * the one before it ({@code parent}, a symbolic link as CRIU makes it, relative to the directory), and
 * its pagemap may mark pages {@code in_parent} (PE_PARENT) instead of holding them. Opening resolves
 * every dumped page to the pages file that holds its contents, and checks the whole chain first: a
 * missing or dangling link, a parent without this process's pagemap, a parent lacking pages the child
 * says it has, a loop of links, or a broken pagemap anywhere is a {@link BadImageException} naming the
 * directory and pages — before a restore creates anything.
 */
public final class PageChain {

    /** Longest chain followed (CRIU sets no limit; a longer one is almost surely a loop of copies). */
    public static final int MAX_DEPTH = 64;
    public static final String PARENT_LINK = "parent";

    /**
     * Contents of NR_PAGES pages at VADDR: in the pages file of chain level LEVEL (0 = the directory
     * itself, 1 = its parent …) at PAGES_OFFSET.
     */
    public record Source(long vaddr, long nrPages, int level, long pagesOffset) {
        public long end() {
            return vaddr + nrPages * ProcessMemory.PAGE_SIZE;
        }
    }

    private final int pid;
    private final List<Path> dirs;
    private final List<Path> pagesFiles;
    private final List<Source> sources;
    private final long[] pagesPerLevel;

    private PageChain(int pid, List<Path> dirs, List<Path> pagesFiles, List<Source> sources) {
        this.pid = pid;
        this.dirs = List.copyOf(dirs);
        this.pagesFiles = List.copyOf(pagesFiles);
        this.sources = List.copyOf(sources);
        this.pagesPerLevel = new long[dirs.size()];
        for (Source s : sources) {
            pagesPerLevel[s.level()] += s.nrPages();
        }
    }

    /** No memory at all (a zombie's). */
    public static PageChain none(int pid) {
        return new PageChain(pid, List.of(), List.of(), List.of());
    }

    /**
     * The parent of image directory DIR: empty when it has no {@code parent} link; a link that leads
     * nowhere is a {@link BadImageException}.
     */
    public static Optional<Path> parent(Path dir) {
        Path link = dir.resolve(PARENT_LINK);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path target;
        try {
            target = Files.isSymbolicLink(link) ? dir.resolve(Files.readSymbolicLink(link)) : link;
        } catch (IOException e) {
            throw new BadImageException(link.toString(), -1, "cannot read the parent link: " + e.getMessage());
        }
        if (!Files.isDirectory(target)) {
            throw new BadImageException(link.toString(), -1, "the parent link leads to " + target
                    + ", which is not a directory (parent images moved or deleted?)");
        }
        return Optional.of(target.normalize());
    }

    /** DIR followed by its parents, nearest first; a loop or a chain longer than {@link #MAX_DEPTH} is a bad image. */
    public static List<Path> lineage(Path dir) {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        Path d = dir;
        while (true) {
            Path real;
            try {
                real = d.toRealPath();
            } catch (IOException e) {
                throw new BadImageException(d.toString(), -1, "cannot resolve image directory: " + e.getMessage());
            }
            if (!seen.add(real)) {
                throw new BadImageException(dir.resolve(PARENT_LINK).toString(), -1,
                        "the parent links loop: " + d + " appears twice in the chain");
            }
            out.add(d);
            if (out.size() > MAX_DEPTH) {
                throw new BadImageException(dir.resolve(PARENT_LINK).toString(), -1,
                        "the chain of parent images is longer than " + MAX_DEPTH);
            }
            Optional<Path> p = parent(d);
            if (p.isEmpty()) {
                return out;
            }
            d = p.get();
        }
    }

    /**
     * Opens and resolves the memory of PID in image directory DIR through its parents. The whole chain
     * of links is checked (as CRIU opens it whole), even beyond the parents this process needs.
     */
    public static PageChain open(Path dir, int pid) {
        lineage(dir);
        List<Path> dirs = new ArrayList<>();
        List<Path> pagesFiles = new ArrayList<>();
        List<Source> out = new ArrayList<>();
        Path pagemap0 = dir.resolve(ImageKind.PAGEMAP.fileName(pid));
        PageRanges needed = null; // null: level 0 takes its own runs as they are
        Path d = dir;
        Set<Path> seen = new HashSet<>();
        for (int level = 0; ; level++) {
            if (level > MAX_DEPTH) {
                throw new BadImageException(pagemap0.toString(), -1, "the chain of parent images is longer than " + MAX_DEPTH);
            }
            try {
                if (!seen.add(d.toRealPath())) {
                    throw new BadImageException(dir.resolve(PARENT_LINK).toString(), -1,
                            "the parent links loop: " + d + " appears twice in the chain");
                }
            } catch (IOException e) {
                throw new BadImageException(d.toString(), -1, "cannot resolve image directory: " + e.getMessage());
            }
            if (level > 0 && !Files.exists(d.resolve(ImageKind.PAGEMAP.fileName(pid)))) {
                throw new BadImageException(pagemap0.toString(), -1, String.format(
                        "pages %s are in the parent image, but parent %s holds no %s", needed, d,
                        ImageKind.PAGEMAP.fileName(pid)));
            }
            dirs.add(d);
            PageRanges.Builder inParent = new PageRanges.Builder();
            try (ProcessMemory mem = ProcessMemory.open(d, pid)) {
                pagesFiles.add(mem.pagesFile());
                PageRanges missing = resolve(mem, level, needed, out, inParent);
                if (!missing.isEmpty()) {
                    throw new BadImageException(pagemap0.toString(), -1, String.format(
                            "pages %s are in the parent image, but parent %s has no contents for them", missing, d));
                }
            }
            needed = inParent.build();
            if (needed.isEmpty()) {
                break;
            }
            Optional<Path> parent = parent(d);
            if (parent.isEmpty()) {
                throw new BadImageException(d.resolve(ImageKind.PAGEMAP.fileName(pid)).toString(), -1, String.format(
                        "pages %s are marked in_parent, but %s has no parent link", needed, d));
            }
            d = parent.get();
        }
        out.sort(Comparator.comparing(Source::vaddr, Long::compareUnsigned));
        return new PageChain(pid, dirs, pagesFiles, out);
    }

    /**
     * Adds the sources of MEM (chain level LEVEL) for the NEEDED ranges (null: all its runs) to OUT,
     * its PE_PARENT parts to IN_PARENT; returns what it could not account for.
     */
    private static PageRanges resolve(ProcessMemory mem, int level, PageRanges needed, List<Source> out,
            PageRanges.Builder inParent) {
        PageRanges.Builder present = new PageRanges.Builder();
        PageRanges.Builder parent = new PageRanges.Builder();
        for (ProcessMemory.Run r : mem.runs()) {
            if (r.present()) {
                present.add(r.vaddr(), r.end());
            } else if (r.inParent()) {
                parent.add(r.vaddr(), r.end());
            }
        }
        PageRanges want = needed == null ? present.build().union(parent.build()) : needed;
        PageRanges here = want.intersect(present.build());
        PageRanges up = want.intersect(parent.build());
        for (int i = 0; i < up.count(); i++) {
            inParent.add(up.start(i), up.end(i));
        }
        List<ProcessMemory.Run> withContents = mem.runs().stream().filter(ProcessMemory.Run::present).toList();
        int ri = 0;
        for (int i = 0; i < here.count(); i++) {
            long s = here.start(i);
            long e = here.end(i);
            while (s != e) {
                // HERE lies within the present runs, which are sorted and disjoint
                while (Long.compareUnsigned(withContents.get(ri).end(), s) <= 0) {
                    ri++;
                }
                ProcessMemory.Run r = withContents.get(ri);
                long to = Long.compareUnsigned(r.end(), e) < 0 ? r.end() : e;
                out.add(new Source(s, (to - s) / ProcessMemory.PAGE_SIZE, level, r.pagesOffset() + (s - r.vaddr())));
                s = to;
            }
        }
        return want.subtract(here).subtract(up);
    }

    public int pid() {
        return pid;
    }

    /** The directories of the chain, nearest first (only as far as this process's pages needed). */
    public List<Path> dirs() {
        return dirs;
    }

    /** The pages file of chain level LEVEL. */
    public Path pagesFile(int level) {
        return pagesFiles.get(level);
    }

    public int depth() {
        return dirs.size();
    }

    /** Every page with contents, resolved, in address order. */
    public List<Source> sources() {
        return sources;
    }

    /** Pages whose contents come from chain level LEVEL. */
    public long pagesAt(int level) {
        return level < pagesPerLevel.length ? pagesPerLevel[level] : 0;
    }

    public long pages() {
        long n = 0;
        for (long p : pagesPerLevel) {
            n += p;
        }
        return n;
    }

    /** The source holding the page at ADDR, or null when no image of the chain has contents for it. */
    public Source sourceAt(long addr) {
        int lo = 0;
        int hi = sources.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Source s = sources.get(mid);
            if (Long.compareUnsigned(addr, s.vaddr()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(addr, s.end()) >= 0) {
                lo = mid + 1;
            } else {
                return s;
            }
        }
        return null;
    }

    /** Reads page contents from the chain's pages files, each opened on first use. */
    public Reader reader() {
        return new Reader();
    }

    /** Reads contents of this chain's pages; close it to close the files. */
    public final class Reader implements AutoCloseable {
        private final FileChannel[] files = new FileChannel[pagesFiles.size()];

        private Reader() {
        }

        /** Fills DST (its remaining bytes) with the contents from ADDR on, which SOURCE holds. */
        public void read(ByteBuffer dst, Source source, long addr) {
            Path file = pagesFiles.get(source.level());
            long pos = source.pagesOffset() + (addr - source.vaddr());
            try {
                if (files[source.level()] == null) {
                    files[source.level()] = FileChannel.open(file, StandardOpenOption.READ);
                }
                FileChannel ch = files[source.level()];
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, pos);
                    if (n < 0) {
                        throw new BadImageException(file.toString(), pos, "ends early (file shrank while reading?)");
                    }
                    pos += n;
                }
            } catch (IOException e) {
                throw new BadImageException(file.toString(), pos, "cannot read: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            for (FileChannel ch : files) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read only: nothing lost
                    }
                }
            }
        }
    }

    /** The pages with contents, as ranges. */
    public PageRanges ranges() {
        PageRanges.Builder b = new PageRanges.Builder();
        for (Source s : sources) {
            b.add(s.vaddr(), s.end());
        }
        return b.build();
    }

    /** The pages PID has in image directory DIR through its chain; none when DIR holds no pagemap for it. */
    public static PageRanges pagesIn(Path dir, int pid) {
        if (!Files.exists(dir.resolve(ImageKind.PAGEMAP.fileName(pid)))) {
            return PageRanges.EMPTY;
        }
        return open(dir, pid).ranges();
    }
}
