package dev.jcr.dump;

import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.ptrace.PageRuns;
import dev.jcr.ptrace.Pagemap;
import dev.jcr.ptrace.RemoteMemory;
import dev.jcr.resource.PageSelection;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory of one frozen process: which pages to copy (pagemap: present or swapped; of private file
 * mappings only the anonymous copies), the pagemap image describing them, and the copy itself,
 * process_vm_readv straight into shared mappings of the pages file, whose space is reserved first
 * (so a full disk is an error, not a SIGBUS).
 */
final class MemoryDump {

    /** Bytes per copy step: the progress granularity, and a window of the pages file. */
    static final long STEP = 64L << 20;

    private final int pid;
    private final int pagesId;
    private final PageRuns runs = new PageRuns();
    private long pagesScanned;

    MemoryDump(int pid, int pagesId) {
        this.pid = pid;
        this.pagesId = pagesId;
    }

    long pagesScanned() {
        return pagesScanned;
    }

    long pages() {
        return runs.pages();
    }

    /** Scans the pagemap and writes pagemap-PID.img (one entry per run, never across two areas). */
    void scan(DeferredImages later, List<VmaEntry> vmas, List<PageSelection> selections) {
        List<com.google.protobuf.Message> w = new java.util.ArrayList<>();
        try (Pagemap pm = Pagemap.open(pid)) {
            w.add(PagemapHead.newBuilder().setPagesId(pagesId).build());
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
                for (int r = 0; r < area.count(); r++) {
                    long n = area.len(r) / PagesWriter.PAGE_SIZE;
                    w.add(PagemapEntry.newBuilder().setVaddr(area.addr(r))
                            .setCompatNrPages(n <= 0xffffffffL ? (int) n : 0).setFlags(PagesWriter.PE_PRESENT)
                            .setNrPages(n).build());
                    runs.add(area.addr(r), area.len(r));
                }
            }
        }
        later.all(ImageKind.PAGEMAP, pid, w);
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

    /** Copies the pages into pages-ID.img; PROGRESS gets the bytes copied after each step. */
    void copy(ImageDirWriter dir, java.util.function.LongConsumer progress) {
        String name = ImageKind.PAGES.fileName(pagesId);
        try (OutputStream created = dir.newFile(name)) {
            // created (and registered for the commit's sync) by the directory writer; filled below
        } catch (IOException e) {
            throw ImageIoException.of(dir.target().resolve(name), "create", e);
        }
        Path file = dir.tempDir().resolve(name);
        long total = runs.bytes();
        if (total == 0) {
            return;
        }
        reserve(file, total);
        RemoteMemory mem = new RemoteMemory(pid);
        long offset = 0;
        for (PageRuns part : runs.split(STEP)) {
            long filled = part.bytes();
            try {
                mem.copyToFile(part, file, offset);
            } catch (SyscallException e) {
                throw new ImageIoException("cannot write " + file.getFileName() + " of " + dir.target() + ": "
                        + e.getMessage(), e);
            }
            offset += filled;
            progress.accept(filled);
        }
    }

    private static void reserve(Path file, long bytes) {
        int fd = Linux.open(file.toString(), Linux.O_RDWR, 0);
        try {
            Linux.fallocate(fd, 0, bytes);
        } catch (SyscallException e) {
            if (e.errno() != 95 /* EOPNOTSUPP: the copy finds out the hard way */) {
                throw new ImageIoException("cannot write " + file.getFileName() + ": "
                        + (e.errno() == Errno.ENOSPC ? "no space left on device" : e.getMessage()), e);
            }
        } finally {
            Linux.close(fd);
        }
    }
}
