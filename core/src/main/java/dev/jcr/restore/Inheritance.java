package dev.jcr.restore;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.VmaEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restored child keeps of its restored parent's memory, so that pages they shared copy-on-write
 * before the dump (a fork and nothing written since) are shared again instead of being restored as
 * two copies. The child is cloned from its parent once the parent's address space is rebuilt (as CRIU
 * forks children from their restored parents); it then keeps every private mapping identical in both
 * dumps (same range, protection, flags, offset and file; not MADV_DONTFORK or MADV_WIPEONFORK, which a
 * fork does not pass on), and in those mappings gets only the pages whose dumped content differs from
 * its parent's: equal pages stay the parent's, shared until one of them writes. Pages the parent has
 * there and the child had not are dropped (MADV_DONTNEED: zero again, or the file's content).
 */
final class Inheritance {

    private static final long DONTFORK = 1L << 10;
    private static final long WIPEONFORK = 1L << 18;
    private static final int PAGE = ProcessMemory.PAGE_SIZE;
    /** Pages compared per read of the child's pages file. */
    private static final int CHUNK_PAGES = 256;

    private final List<VmaEntry> kept;
    private final ProcessPlan parent;
    private final ProcessPlan child;
    private final ImageDir dir;

    private Inheritance(List<VmaEntry> kept, ProcessPlan parent, ProcessPlan child, ImageDir dir) {
        this.kept = kept;
        this.parent = parent;
        this.child = child;
        this.dir = dir;
    }

    /** For a process cloned from the seed: nothing kept. */
    static Inheritance none() {
        return new Inheritance(List.of(), null, null, null);
    }

    /** What CHILD, cloned from rebuilt PARENT, keeps of it; images in DIR. */
    static Inheritance of(ProcessPlan parent, ProcessPlan child, ImageDir dir) {
        List<VmaEntry> kept = new ArrayList<>();
        List<VmaEntry> theirs = parent.mm().getVmasList();
        int j = 0;
        for (VmaEntry v : child.mm().getVmasList()) {
            while (j < theirs.size() && Long.compareUnsigned(theirs.get(j).getStart(), v.getStart()) < 0) {
                j++;
            }
            if (j < theirs.size() && inheritable(theirs.get(j), v)) {
                kept.add(v);
            }
        }
        return new Inheritance(List.copyOf(kept), parent, child, dir);
    }

    private static boolean inheritable(VmaEntry p, VmaEntry c) {
        boolean privateMapping = (c.getFlags() & Vmas.MAP_SHARED) == 0
                && (Vmas.is(c, Vmas.ANON_PRIVATE) || Vmas.is(c, Vmas.FILE_PRIVATE));
        return privateMapping && !Vmas.special(c) && p.getStart() == c.getStart() && p.getEnd() == c.getEnd()
                && p.getProt() == c.getProt() && p.getFlags() == c.getFlags() && p.getStatus() == c.getStatus()
                && p.getPgoff() == c.getPgoff() && (!Vmas.fileBacked(c) || p.getShmid() == c.getShmid())
                && (p.getMadv() & (DONTFORK | WIPEONFORK)) == 0;
    }

    /** The child's VMAs it keeps from its parent (its own address ranges, already in place). */
    List<VmaEntry> kept() {
        return kept;
    }

    boolean keeps(VmaEntry v) {
        return kept.contains(v);
    }

    /** True when the child runs the parent's executable: it keeps the exe it was cloned with. */
    boolean sameExe() {
        return parent != null && parent.mm().getExeFileId() == child.mm().getExeFileId();
    }

    /** The kept VMA holding ADDR, or null (binary search: kept is in address order). */
    private VmaEntry keptAt(long addr) {
        int lo = 0;
        int hi = kept.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            VmaEntry v = kept.get(mid);
            if (Long.compareUnsigned(addr, v.getStart()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(addr, v.getEnd()) >= 0) {
                lo = mid + 1;
            } else {
                return v;
            }
        }
        return null;
    }

    /**
     * The child's present runs to read into it: unchanged outside kept mappings; inside, only the
     * pages whose content differs from the parent's dumped page at that address (or that the parent
     * did not have), as sub-runs pointing into the child's pages file.
     */
    List<ProcessMemory.Run> toWrite(List<ProcessMemory.Run> runs) {
        if (kept.isEmpty()) {
            return runs;
        }
        List<ProcessMemory.Run> out = new ArrayList<>();
        try (ProcessMemory mine = dir.memory(child.pid()); ProcessMemory theirs = dir.memory(parent.pid())) {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_PAGES * PAGE);
            ByteBuffer page = ByteBuffer.allocate(PAGE);
            for (ProcessMemory.Run r : runs) {
                if (!r.present()) {
                    continue;
                }
                long start = -1; // first page of the sub-run being collected
                for (long i = 0; i < r.nrPages(); i++) {
                    long addr = r.vaddr() + i * PAGE;
                    boolean write = true;
                    if (keptAt(addr) != null) {
                        if (i % CHUNK_PAGES == 0) {
                            chunk.clear().limit((int) Math.min(CHUNK_PAGES, r.nrPages() - i) * PAGE);
                            mine.read(chunk, r.pagesOffset() + i * PAGE);
                        }
                        write = !sameAsParent(theirs, addr, chunk, (int) (i % CHUNK_PAGES) * PAGE, page);
                    }
                    if (write && start < 0) {
                        start = i;
                    } else if (!write && start >= 0) {
                        out.add(sub(r, start, i));
                        start = -1;
                    }
                }
                if (start >= 0) {
                    out.add(sub(r, start, r.nrPages()));
                }
            }
        }
        return out;
    }

    private static boolean sameAsParent(ProcessMemory theirs, long addr, ByteBuffer chunk, int at, ByteBuffer page) {
        var run = theirs.runAt(addr);
        if (run.isEmpty() || !run.get().present()) {
            return false;
        }
        page.clear();
        theirs.read(page, run.get().pagesOffset() + (addr - run.get().vaddr()));
        page.flip();
        return chunk.slice(at, PAGE).equals(page);
    }

    private static ProcessMemory.Run sub(ProcessMemory.Run r, long from, long to) {
        return new ProcessMemory.Run(r.vaddr() + from * PAGE, to - from, r.flags(), r.pagesOffset() + from * PAGE);
    }

    /**
     * Ranges of kept mappings where the parent's image has pages and the child's has none: the child
     * must not keep them (after the fork, the child dropped or never had what the parent has there).
     */
    List<long[]> toDrop() {
        List<long[]> out = new ArrayList<>();
        if (kept.isEmpty()) {
            return out;
        }
        try (ProcessMemory mine = dir.memory(child.pid())) {
            for (ProcessMemory.Run pr : parent.runs()) {
                if (!pr.present()) {
                    continue;
                }
                for (long i = 0; i < pr.nrPages(); i++) {
                    long addr = pr.vaddr() + i * PAGE;
                    if (keptAt(addr) != null && mine.runAt(addr).filter(ProcessMemory.Run::present).isEmpty()) {
                        if (!out.isEmpty() && out.get(out.size() - 1)[1] == addr) {
                            out.get(out.size() - 1)[1] = addr + PAGE;
                        } else {
                            out.add(new long[] {addr, addr + PAGE});
                        }
                    }
                }
            }
        }
        return out;
    }
}
