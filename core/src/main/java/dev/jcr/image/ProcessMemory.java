package dev.jcr.image;

import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The dumped memory of one process: its pagemap, indexed, over its pages file, which is read a
 * page at a time and never loaded whole. Opening checks that the pagemap is ordered and that no
 * present run points past the end of the pages file.
 */
public final class ProcessMemory implements AutoCloseable {

    public static final int PAGE_SIZE = PagesWriter.PAGE_SIZE;

    /** One pagemap entry with where its contents live in the pages file (-1 when it has none here). */
    public record Run(long vaddr, long nrPages, int flags, long pagesOffset) {
        public long end() {
            return vaddr + nrPages * PAGE_SIZE;
        }

        public boolean present() {
            return (flags & PagesWriter.PE_PRESENT) != 0;
        }

        public boolean inParent() {
            return (flags & PagesWriter.PE_PARENT) != 0;
        }

        public boolean lazy() {
            return (flags & PagesWriter.PE_LAZY) != 0;
        }

        boolean contains(long addr) {
            return Long.compareUnsigned(addr, vaddr) >= 0 && Long.compareUnsigned(addr, end()) < 0;
        }
    }

    private final Path dir;
    private final int pid;
    private final int pagesId;
    private final List<Run> runs;
    private final long[] starts;
    private final Path pagesFile;
    private final FileChannel pages;

    private ProcessMemory(Path dir, int pid, int pagesId, List<Run> runs, Path pagesFile, FileChannel pages) {
        this.dir = dir;
        this.pid = pid;
        this.pagesId = pagesId;
        this.runs = Collections.unmodifiableList(runs);
        this.starts = runs.stream().mapToLong(Run::vaddr).toArray();
        this.pagesFile = pagesFile;
        this.pages = pages;
    }

    /** Page count of a pagemap entry: field 5 (newer CRIU) when present, else the compat field 2. */
    public static long pageCount(PagemapEntry e) {
        return e.hasNrPages() ? e.getNrPages() : Integer.toUnsignedLong(e.getCompatNrPages());
    }

    /**
     * Effective flags of a pagemap entry; entries of old images without flags are present unless
     * marked in_parent (CRIU's own compatibility rule).
     */
    public static int flags(PagemapEntry e) {
        if (e.hasFlags()) {
            return e.getFlags() | (e.getInParent() ? PagesWriter.PE_PARENT : 0);
        }
        return e.getInParent() ? PagesWriter.PE_PARENT : PagesWriter.PE_PRESENT;
    }

    /** Opens the memory of process {@code pid} in image directory {@code dir}. */
    public static ProcessMemory open(Path dir, int pid) {
        Path pagemapFile = dir.resolve(ImageKind.PAGEMAP.fileName(pid));
        List<Run> runs = new ArrayList<>();
        int pagesId;
        long offset = 0;
        List<Long> entryOffsets = new ArrayList<>();
        try (ImageReader r = ImageReader.open(pagemapFile)) {
            if (r.kind() != ImageKind.PAGEMAP) {
                throw new BadImageException(pagemapFile.toString(), 0, "is a " + r.kind() + " image, not a pagemap");
            }
            ImageEntry head = r.next();
            if (head == null) {
                throw new BadImageException(pagemapFile.toString(), -1, "no pagemap_head entry");
            }
            pagesId = head.as(PagemapHead.class).getPagesId();
            long prevEnd = 0;
            for (ImageEntry e = r.next(); e != null; e = r.next()) {
                PagemapEntry pe = e.as(PagemapEntry.class);
                long n = pageCount(pe);
                int flags = flags(pe);
                if (n <= 0 || n > (1L << 52) / PAGE_SIZE) {
                    throw new BadImageException(pagemapFile.toString(), e.offset(),
                            "entry " + e.index() + " has an impossible page count " + Long.toUnsignedString(n));
                }
                if ((pe.getVaddr() & (PAGE_SIZE - 1)) != 0) {
                    throw new BadImageException(pagemapFile.toString(), e.offset(),
                            String.format("entry %d: vaddr 0x%x is not page aligned", e.index(), pe.getVaddr()));
                }
                if (!runs.isEmpty() && Long.compareUnsigned(pe.getVaddr(), prevEnd) < 0) {
                    throw new BadImageException(pagemapFile.toString(), e.offset(), String.format(
                            "entry %d at 0x%x overlaps or precedes the previous entry (ending at 0x%x)", e.index(), pe.getVaddr(), prevEnd));
                }
                boolean present = (flags & PagesWriter.PE_PRESENT) != 0;
                runs.add(new Run(pe.getVaddr(), n, flags, present ? offset : -1));
                entryOffsets.add(e.offset());
                if (present) {
                    offset += n * PAGE_SIZE;
                }
                prevEnd = pe.getVaddr() + n * PAGE_SIZE;
            }
        }
        Path pagesFile = dir.resolve(ImageKind.PAGES.fileName(pagesId));
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(pagesFile, StandardOpenOption.READ);
            size = ch.size();
        } catch (IOException e) {
            if (offset == 0 && !Files.exists(pagesFile)) {
                ch = null;
                size = 0;
            } else if (e instanceof java.nio.file.NoSuchFileException) {
                // the directory is there and readable: a pages id naming no file is the pagemap's fault
                throw new BadImageException(pagemapFile.toString(), -1, "pages_id " + Integer.toUnsignedString(pagesId)
                        + " names " + pagesFile.getFileName() + ", which does not exist (" + offset / PAGE_SIZE
                        + " pages are needed from it)");
            } else {
                throw ImageIoException.of(pagesFile, "open", e);
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            if (run.pagesOffset() >= 0 && run.pagesOffset() + run.nrPages() * PAGE_SIZE > size) {
                closeQuietly(ch);
                throw new BadImageException(pagemapFile.toString(), entryOffsets.get(i), String.format(
                        "entry %d (0x%x, %d pages) points past the end of %s (%d bytes, needs %d)", i + 1, run.vaddr(),
                        run.nrPages(), pagesFile.getFileName(), size, run.pagesOffset() + run.nrPages() * PAGE_SIZE));
            }
        }
        return new ProcessMemory(dir, pid, pagesId, runs, pagesFile, ch);
    }

    public int pid() {
        return pid;
    }

    public int pagesId() {
        return pagesId;
    }

    public Path pagesFile() {
        return pagesFile;
    }

    /** The pagemap entries in address order (the head excluded). */
    public List<Run> runs() {
        return runs;
    }

    /** Pages whose contents are in this image's pages file. */
    public long presentPages() {
        return runs.stream().filter(Run::present).mapToLong(Run::nrPages).sum();
    }

    /** The run covering {@code vaddr}, if any. */
    public Optional<Run> runAt(long vaddr) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], vaddr) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0) {
            return Optional.empty();
        }
        Run r = runs.get(hi);
        return r.contains(vaddr) ? Optional.of(r) : Optional.empty();
    }

    /**
     * The 4096 bytes of the page containing {@code vaddr}: from this image's pages file, or, for a
     * page marked PE_PARENT, from the parent image directory ({@code parent} link) when there is one.
     * Empty when the image holds no contents for it (not dumped, or lazy).
     */
    public Optional<ByteBuffer> page(long vaddr) {
        long pageAddr = vaddr & ~((long) PAGE_SIZE - 1);
        Optional<Run> run = runAt(pageAddr);
        if (run.isEmpty()) {
            return Optional.empty();
        }
        Run r = run.get();
        if (r.present()) {
            ByteBuffer buf = ByteBuffer.allocate(PAGE_SIZE);
            long pos = r.pagesOffset() + (pageAddr - r.vaddr());
            readFully(buf, pos);
            return Optional.of(buf.flip());
        }
        if (r.inParent()) {
            Path parent = dir.resolve("parent");
            if (Files.isDirectory(parent)) {
                try (ProcessMemory pm = ProcessMemory.open(parent, pid)) {
                    return pm.page(pageAddr);
                }
            }
        }
        return Optional.empty();
    }

    /** Copies the contents of a present run to {@code out} by channel transfer. */
    public void transfer(Run run, WritableByteChannel out) {
        if (!run.present()) {
            throw new IllegalArgumentException("run at " + Long.toHexString(run.vaddr()) + " has no contents here");
        }
        long len = run.nrPages() * PAGE_SIZE;
        long done = 0;
        try {
            while (done < len) {
                long t = pages.transferTo(run.pagesOffset() + done, len - done, out);
                if (t <= 0) {
                    throw new BadImageException(pagesFile.toString(), run.pagesOffset() + done, "ends early");
                }
                done += t;
            }
        } catch (IOException e) {
            throw ImageIoException.of(pagesFile, "read", e);
        }
    }

    /** Reads {@code dst.remaining()} bytes of the pages file at {@code position}. */
    public void read(ByteBuffer dst, long position) {
        readFully(dst, position);
    }

    private void readFully(ByteBuffer buf, long pos) {
        try {
            while (buf.hasRemaining()) {
                int n = pages.read(buf, pos);
                if (n < 0) {
                    throw new BadImageException(pagesFile.toString(), pos, "ends early (file shrank while reading?)");
                }
                pos += n;
            }
        } catch (IOException e) {
            throw ImageIoException.of(pagesFile, "read", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(pages);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only handle
            }
        }
    }

    @Override
    public String toString() {
        return "memory of " + pid + " in " + dir + " (" + runs.size() + " runs, " + presentPages() + " pages present)";
    }

    static long[] copy(long[] a) {
        return Arrays.copyOf(a, a.length);
    }
}
