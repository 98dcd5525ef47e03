package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageRanges;
import dev.jcr.image.PagesOutput;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.ptrace.NoSuchProcessException;
import dev.jcr.ptrace.PageRuns;
import dev.jcr.ptrace.Pagemap;
import dev.jcr.ptrace.PipeDrain;
import dev.jcr.ptrace.RemoteMemory;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.PageSelection;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The memory of one frozen process: which pages to copy (pagemap: present or swapped; of private file
 * mappings only the anonymous copies), the pagemap image describing them, and the copy itself.
 *
 * <p>The copy moves pages without copying them on the way ({@link PipeDrain}: a helper thread in the
 * process vmsplices them into a pipe, jcr splices them into the pages file): one copy in all, into
 * the file's page cache, as a plain write(2) of the same bytes. Pages of areas the helper cannot pin
 * (not readable: PROT_NONE), and everything when the helper cannot be set up (e.g. a seccomp filter),
 * are read with {@link RemoteMemory} (process_vm_readv, /proc/PID/mem for what it cannot read) and
 * written with pwrite. The pages file's space is reserved first, so a full disk is an early error.
 */
final class MemoryDump {

    /** Progress granularity in bytes (the listener is not told about every splice). */
    static final long STEP = 16L << 20;

    private final Tracer tracer;
    private final int pid;
    private final int pagesId;
    /** All runs, in address order: the pagemap image's entries, the pages file's order. */
    private final PageRuns runs = new PageRuns();
    /** The runs of readable areas (vmsplice can pin them) and where each goes in the pages file. */
    private final Placed pinnable = new Placed();
    /** The runs of areas that are not readable (PROT_NONE …): read through /proc/PID/mem. */
    private final Placed unreadable = new Placed();
    private long pagesScanned;
    /** The areas with pages to dump, in order: pagemap entries never cross their bounds. */
    private final List<long[]> areas = new java.util.ArrayList<>();
    /** Pages chosen to be copied, pages left to the parent, and pages really copied (fewer in a pre-dump). */
    private PageRanges planned = PageRanges.EMPTY;
    private PageRanges parent = PageRanges.EMPTY;
    private PageRanges copied = PageRanges.EMPTY;
    /** Pages taken from the copy made before the freeze ({@link PreCopy}), and their places in the pages file. */
    private PageRanges precopied = PageRanges.EMPTY;
    private final Placed fromEarlier = new Placed();

    MemoryDump(Tracer tracer, int pid, int pagesId) {
        this.tracer = tracer;
        this.pid = pid;
        this.pagesId = pagesId;
    }

    long pagesScanned() {
        return pagesScanned;
    }

    long pages() {
        return runs.pages();
    }

    /**
     * Scans the pagemap for the pages to dump; TRACKING (incremental dumps) decides which of them are
     * copied and which are left to the parent images. The pagemap image is written by {@link #pagemap}
     * once the pages are copied.
     */
    void scan(List<VmaEntry> vmas, List<PageSelection> selections, ProcessTracking tracking) {
        tracking.begin(vmas, selections);
        try (Pagemap pm = Pagemap.open(pid)) {
            for (int i = 0; i < vmas.size(); i++) {
                VmaEntry v = vmas.get(i);
                PageSelection sel = selections.get(i);
                if (sel == PageSelection.NONE) {
                    continue;
                }
                pagesScanned += (v.getEnd() - v.getStart()) / PagesWriter.PAGE_SIZE;
                PageRuns area = new PageRuns();
                if (sel == PageSelection.EXISTING) {
                    pm.addExisting(v.getStart(), v.getEnd(), area);
                } else {
                    privateCopies(pm, v.getStart(), v.getEnd(), area);
                }
                PageRanges existing = ranges(area);
                PageRanges copy = tracking.toCopy(v, existing);
                PageRanges early = tracking.precopied(v, existing);
                PageRanges inParent = existing.subtract(copy).subtract(early);
                areas.add(new long[] {v.getStart(), v.getEnd()});
                planned = planned.union(copy).union(early);
                parent = parent.union(inParent);
                precopied = precopied.union(early);
                Placed into = (v.getProt() & Linux.PROT_READ) != 0 ? pinnable : unreadable;
                // both go to the pages file in address order (the pagemap's); the copy now fills its
                // places, the earlier copy's places are filled from its scratch file after the freeze
                int r = 0;
                int e = 0;
                while (r < copy.count() || e < early.count()) {
                    boolean now = e >= early.count()
                            || (r < copy.count() && Long.compareUnsigned(copy.start(r), early.start(e)) < 0);
                    long st = now ? copy.start(r) : early.start(e);
                    long len = (now ? copy.end(r) : early.end(e)) - st;
                    (now ? into : fromEarlier).add(st, len, runs.bytes());
                    runs.add(st, len);
                    if (now) {
                        r++;
                    } else {
                        e++;
                    }
                }
            }
        }
        tracking.finish(vmas, selections);
        copied = planned;
    }

    /** The pages this dump holds for the process: copied, or left to its parents. */
    PageRanges holds() {
        return copied.union(parent);
    }

    int pid() {
        return pid;
    }

    /** Pages left to the parent images (PE_PARENT). */
    long pagesInParent() {
        return parent.bytes() / PagesWriter.PAGE_SIZE;
    }

    /**
     * Writes pagemap-PID.img: one entry per run of copied pages (PE_PRESENT, in the pages file's
     * order) or of pages in the parent (PE_PARENT), in address order, never across two areas.
     */
    void pagemap(DeferredImages later) {
        List<com.google.protobuf.Message> w = new java.util.ArrayList<>();
        w.add(PagemapHead.newBuilder().setPagesId(pagesId).build());
        for (long[] a : areas) {
            PageRanges area = PageRanges.of(a[0], a[1]);
            PageRanges here = copied.intersect(area);
            PageRanges up = parent.intersect(area);
            int i = 0;
            int j = 0;
            while (i < here.count() || j < up.count()) {
                boolean present = j >= up.count() || (i < here.count() && Long.compareUnsigned(here.start(i), up.start(j)) < 0);
                long st = present ? here.start(i) : up.start(j);
                long n = ((present ? here.end(i) : up.end(j)) - st) / PagesWriter.PAGE_SIZE;
                w.add(PagemapEntry.newBuilder().setVaddr(st).setCompatNrPages(n <= 0xffffffffL ? (int) n : 0)
                        .setFlags(present ? PagesWriter.PE_PRESENT : PagesWriter.PE_PARENT).setNrPages(n).build());
                if (present) {
                    i++;
                } else {
                    j++;
                }
            }
        }
        later.all(ImageKind.PAGEMAP, pid, w);
    }

    private static PageRanges ranges(PageRuns runs) {
        PageRanges.Builder b = new PageRanges.Builder();
        for (int i = 0; i < runs.count(); i++) {
            b.add(runs.addr(i), runs.addr(i) + runs.len(i));
        }
        return b.build();
    }

    /** Pages that exist and are no longer the file's (pagemap bit 61 clear): written after mapping. */
    private static void privateCopies(Pagemap pm, long start, long end, PageRuns out) {
        long step = 64L * 1024 * PagesWriter.PAGE_SIZE;
        for (long a = start; a < end; a += step) {
            long e = Math.min(end, a + step);
            long[] entries = pm.entries(a, e);
            for (int i = 0; i < entries.length; i++) {
                long x = entries[i];
                if ((x & (Pagemap.PRESENT | Pagemap.SWAPPED)) != 0 && (x & Pagemap.FILE_OR_SHARED_ANON) == 0) {
                    out.add(a + (long) i * PagesWriter.PAGE_SIZE, PagesWriter.PAGE_SIZE);
                }
            }
        }
    }

    /** Pages taken from the copy made before the freeze, in the pages file once {@link #fillPrecopied} ran. */
    long pagesPrecopied() {
        return precopied.bytes() / PagesWriter.PAGE_SIZE;
    }

    /**
     * Puts the pages copied before the freeze ({@link #precopied}) into their places in the pages file
     * of local directory DIR (after {@link #copy}; the tree may run again: these bytes are in EARLY's
     * scratch file).
     */
    void fillPrecopied(ImageDirWriter dir, PreCopy early) {
        if (fromEarlier.runs.count() == 0) {
            return;
        }
        String name = ImageKind.PAGES.fileName(pagesId);
        int out = Linux.open(dir.tempDir().resolve(name).toString(), Linux.O_WRONLY, 0);
        try {
            for (int i = 0; i < fromEarlier.runs.count(); i++) {
                early.moveTo(pid, fromEarlier.runs.addr(i), fromEarlier.runs.len(i), out, fromEarlier.at()[i]);
            }
        } catch (SyscallException e) {
            throw writeFailed(dir, name, e);
        } finally {
            Linux.close(out);
        }
    }

    /** Copies the pages into pages-ID.img; PROGRESS gets bytes copied, about every {@link #STEP}. */
    void copy(ImageDirWriter dir, LongConsumer progress) {
        String name = ImageKind.PAGES.fileName(pagesId);
        Progress steps = new Progress(progress);
        try (PagesOutput out = dir.pagesOutput(name)) {
            if (runs.bytes() == 0) {
                return;
            }
            out.reserve(runs.bytes());
            RemoteMemory mem = new RemoteMemory(pid);
            long drained = drain(out, steps);
            pinnable.readFrom(mem, out, drained, steps);
            unreadable.readFrom(mem, out, 0, steps);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESRCH) {
                throw new NoSuchProcessException(pid);
            }
            throw writeFailed(dir, name, e);
        } finally {
            steps.flush();
        }
    }

    private static ImageIoException writeFailed(ImageDirWriter dir, String name, SyscallException e) {
        String where = dir.sink() != null ? " to " + dir.sink().describe() : "";
        return new ImageIoException("cannot write " + dir.shown(name) + where + ": "
                + (e.errno() == Errno.ENOSPC ? "no space left on device" : e.getMessage()), e);
    }

    /**
     * Copies the pages of a process that runs again (a pre-dump): read with process_vm_readv (and
     * /proc/PID/mem) into the pages file in order; a page that vanished meanwhile is left out of the
     * image (see {@link RemoteMemory#copyReadable}). Returns bytes copied.
     */
    long copyRunning(ImageDirWriter dir, LongConsumer progress) {
        String name = ImageKind.PAGES.fileName(pagesId);
        Progress steps = new Progress(progress);
        try (PagesOutput out = dir.pagesOutput(name)) {
            if (runs.bytes() == 0) {
                copied = PageRanges.EMPTY;
                return 0;
            }
            out.reserve(runs.bytes());
            PageRuns got = new RemoteMemory(pid).copyReadable(runs, 0, out::write, steps);
            if (got.bytes() < runs.bytes()) {
                out.truncate(got.bytes());
            }
            copied = ranges(got);
            return got.bytes();
        } catch (SyscallException e) {
            throw writeFailed(dir, name, e);
        } finally {
            steps.flush();
        }
    }

    /**
     * Moves the readable runs by {@link PipeDrain}; returns how many of their bytes (in order) it
     * moved: all, or fewer when it stopped at a page it could not pin, or 0 when no helper could be
     * set up in the process.
     */
    private long drain(PagesOutput out, Progress steps) {
        if (pinnable.runs.count() == 0 || tracer == null || underSeccomp(pid)) {
            return 0;
        }
        PipeDrain d;
        try {
            d = PipeDrain.open(tracer, pid);
        } catch (NoSuchProcessException e) {
            throw e;
        } catch (JcrException e) {
            return 0; // the slower way below copies all
        }
        try (d) {
            return d.copy(pinnable.runs, pinnable.at(), out::fromPipe, steps);
        }
    }

    /**
     * True when a seccomp mode or filter guards PID's syscalls (or that cannot be told): the helper's
     * pipe2/clone3/vmsplice could then be refused or, worse, kill the process (SECCOMP_RET_KILL), so
     * its pages are read from outside instead.
     */
    private static boolean underSeccomp(int pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Seccomp:")) {
                    return !line.substring(8).trim().equals("0");
                }
            }
            return false; // a kernel without seccomp
        } catch (IOException e) {
            return true;
        }
    }

    /** Runs with the pages-file offset of each. */
    private static final class Placed {
        final PageRuns runs = new PageRuns();
        private long[] at = new long[16];

        /** Adds a run going to file offset OFFSET; adjacent runs merge (their file places are adjacent too). */
        void add(long addr, long len, long offset) {
            int before = runs.count();
            runs.add(addr, len);
            if (runs.count() > before) {
                if (before == at.length) {
                    at = Arrays.copyOf(at, before * 2);
                }
                at[before] = offset;
            }
        }

        long[] at() {
            return at;
        }

        /** Reads the runs' bytes after the first SKIP ones with MEM and pwrites them to their places in FD. */
        void readFrom(RemoteMemory mem, PagesOutput out, long skip, Progress steps) {
            long left = skip;
            for (int i = 0; i < runs.count(); i++) {
                long len = runs.len(i);
                if (left >= len) {
                    left -= len;
                    continue;
                }
                PageRuns one = new PageRuns();
                one.add(runs.addr(i) + left, len - left);
                steps.accept(mem.streamTo(one, at[i] + left, out::write));
                left = 0;
            }
        }
    }

    /** Passes progress on in steps of {@link #STEP} bytes. */
    private static final class Progress implements LongConsumer {
        private final LongConsumer out;
        private long pending;

        Progress(LongConsumer out) {
            this.out = out;
        }

        @Override
        public void accept(long bytes) {
            pending += bytes;
            if (pending >= STEP) {
                flush();
                dev.jcr.fault.Cancellation.check(); // a long copy ends early when asked, every STEP
            }
        }

        void flush() {
            if (pending > 0) {
                out.accept(pending);
                pending = 0;
            }
        }
    }
}
