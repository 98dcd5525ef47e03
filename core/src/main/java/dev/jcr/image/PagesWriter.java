package dev.jcr.image;

import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes a process's {@code pagemap-<pid>.img} and the matching {@code pages-<id>.img} together:
 * page contents go straight to the pages file (from a buffer or by channel transfer, never
 * collected in memory), and adjacent runs with the same flags are merged into one pagemap entry as
 * CRIU does.
 */
public final class PagesWriter implements AutoCloseable {

    public static final int PAGE_SIZE = 4096;
    public static final int PE_PARENT = 1;
    public static final int PE_LAZY = 2;
    public static final int PE_PRESENT = 4;

    private final String pagemapName;
    private final String pagesName;
    private final ImageWriter pagemap;
    private final FileChannel pages;
    private boolean hasPending;
    private long pendingVaddr;
    private long pendingPages;
    private int pendingFlags;
    private long pagesWritten;
    private long entriesWritten;
    private boolean closed;

    PagesWriter(String pagemapName, OutputStream pagemapOut, String pagesName, FileChannel pages, int pagesId) {
        this.pagemapName = pagemapName;
        this.pagesName = pagesName;
        this.pages = pages;
        this.pagemap = ImageWriter.start(ImageKind.PAGEMAP, pagemapName, pagemapOut);
        pagemap.write(PagemapHead.newBuilder().setPagesId(pagesId).build());
    }

    /** Adds pages whose contents are the remaining bytes of {@code data} (a multiple of 4096). */
    public void addPages(long vaddr, int flags, ByteBuffer data) {
        long n = checkRun(vaddr, flags, data.remaining());
        append(vaddr, n, flags);
        try {
            while (data.hasRemaining()) {
                pages.write(data);
            }
        } catch (IOException e) {
            throw ImageIoException.of(pagesName, "write", e);
        }
        pagesWritten += n;
    }

    /**
     * Adds pages copied from {@code src} (e.g. an open {@code /proc/PID/mem} or a parent's pages
     * file) by channel transfer.
     */
    public void addPages(long vaddr, int flags, FileChannel src, long position, long length) {
        long n = checkRun(vaddr, flags, length);
        append(vaddr, n, flags);
        try {
            long done = 0;
            while (done < length) {
                long t = src.transferTo(position + done, length - done, pages);
                if (t <= 0) {
                    throw new IOException("source ended after " + done + " of " + length + " bytes");
                }
                done += t;
            }
        } catch (IOException e) {
            throw ImageIoException.of(pagesName, "write", e);
        }
        pagesWritten += n;
    }

    /** Records pages that have no contents in this image (PE_PARENT: in the parent dump; PE_LAZY alone: served later). */
    public void addHole(long vaddr, long nrPages, int flags) {
        if ((flags & PE_PRESENT) != 0) {
            throw new IllegalArgumentException("a hole cannot be PE_PRESENT; use addPages");
        }
        checkAligned(vaddr);
        if (nrPages <= 0) {
            throw new IllegalArgumentException("nrPages must be positive: " + nrPages);
        }
        append(vaddr, nrPages, flags);
    }

    /** Pages written to the pages file so far. */
    public long pagesWritten() {
        return pagesWritten;
    }

    /** Pagemap entries written so far (after merging), the head not counted. */
    public long entriesWritten() {
        return entriesWritten + (hasPending ? 1 : 0);
    }

    private long checkRun(long vaddr, int flags, long length) {
        checkAligned(vaddr);
        if ((flags & PE_PRESENT) == 0) {
            throw new IllegalArgumentException("pages with contents must be PE_PRESENT (flags " + flags + ")");
        }
        if (length <= 0 || length % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("page data must be a positive multiple of " + PAGE_SIZE + " bytes: " + length);
        }
        return length / PAGE_SIZE;
    }

    private static void checkAligned(long vaddr) {
        if ((vaddr & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException(String.format("vaddr 0x%x is not page aligned", vaddr));
        }
    }

    private void append(long vaddr, long nrPages, int flags) {
        if (hasPending) {
            long end = pendingVaddr + pendingPages * PAGE_SIZE;
            if (Long.compareUnsigned(vaddr, end) < 0) {
                throw new IllegalArgumentException(String.format(
                        "pages must be added in address order: 0x%x after a run ending at 0x%x", vaddr, end));
            }
            if (vaddr == end && flags == pendingFlags) {
                pendingPages += nrPages;
                return;
            }
            flushPending();
        }
        hasPending = true;
        pendingVaddr = vaddr;
        pendingPages = nrPages;
        pendingFlags = flags;
    }

    private void flushPending() {
        if (!hasPending) {
            return;
        }
        pagemap.write(PagemapEntry.newBuilder()
                .setVaddr(pendingVaddr)
                // Old readers (crit 3.17) only know the u32 count; CRIU 4.x reads nr_pages when present.
                .setCompatNrPages(pendingPages <= 0xffffffffL ? (int) pendingPages : 0)
                .setFlags(pendingFlags)
                .setNrPages(pendingPages)
                .build());
        entriesWritten++;
        hasPending = false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushPending();
        } finally {
            pagemap.close();
            try {
                pages.force(true);
                pages.close();
            } catch (IOException e) {
                throw ImageIoException.of(pagesName, "close", e);
            }
        }
    }

    @Override
    public String toString() {
        return pagemapName + " + " + pagesName;
    }
}
