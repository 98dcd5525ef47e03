package dev.jcr.show.diff;

import dev.jcr.image.ProcessMemory;
import dev.jcr.image.ProcessMemory.Run;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Compares the dumped pages of one process in two dumps by content, streaming both pages files in
 * chunks (never loading either whole). The pagemaps of both are walked together as a sequence of
 * segments over which neither side changes run; equal chunks are skipped with one vectorised
 * {@link ByteBuffer#mismatch}, and only chunks that differ are examined page by page.
 */
final class PageComparer {

    static final int PAGE = ProcessMemory.PAGE_SIZE;
    /** Pages read per chunk and side: 1 MiB keeps reads large and memory small. */
    static final int CHUNK_PAGES = 256;

    private final ProcessMemory a;
    private final ProcessMemory b;
    private final LongFunction<String> mappingName;
    private final ByteBuffer bufA = ByteBuffer.allocateDirect(CHUNK_PAGES * PAGE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer bufB = ByteBuffer.allocateDirect(CHUNK_PAGES * PAGE).order(ByteOrder.LITTLE_ENDIAN);

    private long compared;
    private long changed;
    private long added;
    private long removed;
    private long unknown;
    private long differing;
    private final List<PageDiff.Range> ranges = new ArrayList<>();
    // the range being built
    private PageDiff.Kind curKind;
    private long curStart;
    private long curEnd;
    private long curBytes;

    PageComparer(ProcessMemory a, ProcessMemory b, LongFunction<String> mappingName) {
        this.a = a;
        this.b = b;
        this.mappingName = mappingName;
    }

    /** Reader thread for the second pages file; only worth starting when there are 2+ cores. */
    private java.util.concurrent.ExecutorService pool;

    PageDiff compare() {
        if (Runtime.getRuntime().availableProcessors() > 1) {
            pool = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jcr-diff-reader");
                t.setDaemon(true);
                return t;
            });
        }
        try {
            return walk();
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private PageDiff walk() {
        List<Run> ra = a.runs();
        List<Run> rb = b.runs();
        int i = 0;
        int j = 0;
        long pos = 0;
        while (i < ra.size() || j < rb.size()) {
            Run x = i < ra.size() ? ra.get(i) : null;
            Run y = j < rb.size() ? rb.get(j) : null;
            if (x != null && Long.compareUnsigned(x.end(), pos) <= 0) {
                i++;
                continue;
            }
            if (y != null && Long.compareUnsigned(y.end(), pos) <= 0) {
                j++;
                continue;
            }
            boolean inX = covers(x, pos);
            boolean inY = covers(y, pos);
            long nextX = x == null ? NONE : x.vaddr();
            long nextY = y == null ? NONE : y.vaddr();
            if (!inX && !inY) {
                pos = min(nextX, nextY); // skip the hole where neither dump has pages
                continue;
            }
            // the segment ends at the nearest boundary of either side: neither run changes inside it
            long end = min(inX ? x.end() : nextX, inY ? y.end() : nextY);
            segment(pos, end, inX ? x : null, inY ? y : null);
            pos = end;
        }
        flush();
        return new PageDiff(compared, changed, added, removed, unknown, differing, List.copyOf(ranges));
    }

    /** No address: larger than every address when compared unsigned. */
    private static final long NONE = -1L;

    private static boolean covers(Run r, long addr) {
        return r != null && Long.compareUnsigned(addr, r.vaddr()) >= 0 && Long.compareUnsigned(addr, r.end()) < 0;
    }

    /** The smaller of two addresses, -1 (all ones) standing for "none". */
    private static long min(long p, long q) {
        return Long.compareUnsigned(p, q) <= 0 ? p : q;
    }

    private void segment(long start, long end, Run x, Run y) {
        long pages = (end - start) / PAGE;
        if (x != null && y != null && x.present() && y.present()) {
            compareContents(start, pages, x.pagesOffset() + (start - x.vaddr()), y.pagesOffset() + (start - y.vaddr()));
            return;
        }
        // at least one side has no contents in its own pages file: parent pages are fetched one by one
        for (long p = 0; p < pages; p++) {
            long addr = start + p * PAGE;
            Optional<ByteBuffer> pa = x == null ? Optional.empty() : x.present() || x.inParent() ? a.page(addr) : Optional.empty();
            Optional<ByteBuffer> pb = y == null ? Optional.empty() : y.present() || y.inParent() ? b.page(addr) : Optional.empty();
            if (pa.isPresent() && pb.isPresent()) {
                compared++;
                long d = differingBytes(pa.get(), 0, pb.get(), 0);
                if (d > 0) {
                    mark(PageDiff.Kind.changed, addr, d);
                }
            } else if (pa.isPresent()) {
                mark(y == null ? PageDiff.Kind.removed : null, addr, 0);
            } else if (pb.isPresent()) {
                mark(x == null ? PageDiff.Kind.added : null, addr, 0);
            } else {
                unknown++;
            }
        }
    }

    private void compareContents(long start, long pages, long offA, long offB) {
        long done = 0;
        while (done < pages) {
            int n = (int) Math.min(CHUNK_PAGES, pages - done);
            bufA.clear().limit(n * PAGE);
            bufB.clear().limit(n * PAGE);
            readBoth(offA + done * PAGE, offB + done * PAGE);
            bufA.flip();
            bufB.flip();
            compared += n;
            if (bufA.mismatch(bufB) >= 0) {
                for (int p = 0; p < n; p++) {
                    long d = differingBytes(bufA, p * PAGE, bufB, p * PAGE);
                    if (d > 0) {
                        mark(PageDiff.Kind.changed, start + (done + p) * PAGE, d);
                    }
                }
            }
            done += n;
        }
    }

    /**
     * Reads the next chunk of both pages files: B's on a helper thread while this one reads A's, so
     * that two cores copy from the page cache (or wait for the disk) at once.
     */
    private void readBoth(long posA, long posB) {
        if (pool == null) {
            a.read(bufA, posA);
            b.read(bufB, posB);
            return;
        }
        java.util.concurrent.Future<?> other = pool.submit(() -> b.read(bufB, posB));
        try {
            a.read(bufA, posA);
        } finally {
            try {
                other.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while comparing pages", e);
            }
        }
    }

    /** Bytes that differ between the pages at {@code oa} in {@code x} and {@code ob} in {@code y}. */
    static long differingBytes(ByteBuffer x, int oa, ByteBuffer y, int ob) {
        if (x.slice(oa, PAGE).mismatch(y.slice(ob, PAGE)) < 0) {
            return 0;
        }
        long n = 0;
        for (int k = 0; k < PAGE; k += 8) {
            long v = x.getLong(oa + k) ^ y.getLong(ob + k);
            while (v != 0) {
                if ((v & 0xff) != 0) {
                    n++;
                }
                v >>>= 8;
            }
        }
        return n;
    }

    /** Records one page of {@code kind} (null: one side lacks contents, the other has them: unknown). */
    private void mark(PageDiff.Kind kind, long addr, long bytes) {
        if (kind == null) {
            unknown++;
            return;
        }
        switch (kind) {
            case changed -> {
                changed++;
                differing += bytes;
            }
            case added -> added++;
            case removed -> removed++;
        }
        if (curKind == kind && curEnd == addr) {
            curEnd += PAGE;
            curBytes += bytes;
            return;
        }
        flush();
        curKind = kind;
        curStart = addr;
        curEnd = addr + PAGE;
        curBytes = bytes;
    }

    private void flush() {
        if (curKind != null) {
            ranges.add(new PageDiff.Range(curStart, curEnd, curKind, curBytes, mappingName.apply(curStart)));
            curKind = null;
        }
    }
}
