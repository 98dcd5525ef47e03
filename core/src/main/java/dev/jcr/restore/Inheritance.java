package dev.jcr.restore;

import dev.jcr.image.PageChain;
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

    private Inheritance(List<VmaEntry> kept, ProcessPlan parent, ProcessPlan child) {
        this.kept = kept;
        this.parent = parent;
        this.child = child;
    }

    /** For a process cloned from the seed: nothing kept. */
    static Inheritance none() {
        return new Inheritance(List.of(), null, null);
    }

    /** What CHILD, cloned from rebuilt PARENT, keeps of it (pages compared through each one's chain of images). */
    static Inheritance of(ProcessPlan parent, ProcessPlan child) {
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
        return new Inheritance(List.copyOf(kept), parent, child);
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

    /** The kept VMA holding ADDR, or null (kept is in address order). */
    private VmaEntry keptAt(long addr) {
        return dev.jcr.image.VmaLookup.containing(kept, addr);
    }

    /**
     * The child's pages to read into it (resolved through the chain of parent images): unchanged
     * outside kept mappings; inside, only the pages whose content differs from the parent's dumped page
     * at that address (or that the parent did not have), as sub-runs of the same pages file.
     */
    List<PageChain.Source> toWrite(List<PageChain.Source> sources) {
        if (kept.isEmpty()) {
            return sources;
        }
        List<PageChain.Source> out = new ArrayList<>();
        try (PageChain.Reader mine = child.memory().reader(); PageChain.Reader theirs = parent.memory().reader()) {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_PAGES * PAGE);
            ByteBuffer page = ByteBuffer.allocate(PAGE);
            for (PageChain.Source r : sources) {
                long start = -1; // first page of the sub-run being collected
                for (long i = 0; i < r.nrPages(); i++) {
                    long addr = r.vaddr() + i * PAGE;
                    boolean write = true;
                    if (keptAt(addr) != null) {
                        if (i % CHUNK_PAGES == 0) {
                            chunk.clear().limit((int) Math.min(CHUNK_PAGES, r.nrPages() - i) * PAGE);
                            mine.read(chunk, r, addr);
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

    private boolean sameAsParent(PageChain.Reader theirs, long addr, ByteBuffer chunk, int at, ByteBuffer page) {
        PageChain.Source s = parent.memory().sourceAt(addr);
        if (s == null) {
            return false;
        }
        page.clear();
        theirs.read(page, s, addr);
        page.flip();
        return chunk.slice(at, PAGE).equals(page);
    }

    private static PageChain.Source sub(PageChain.Source r, long from, long to) {
        return new PageChain.Source(r.vaddr() + from * PAGE, to - from, r.level(), r.pagesOffset() + from * PAGE);
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
        PageChain mine = child.memory();
        for (PageChain.Source pr : parent.memory().sources()) {
            for (long i = 0; i < pr.nrPages(); i++) {
                long addr = pr.vaddr() + i * PAGE;
                if (keptAt(addr) != null && mine.sourceAt(addr) == null) {
                    if (!out.isEmpty() && out.get(out.size() - 1)[1] == addr) {
                        out.get(out.size() - 1)[1] = addr + PAGE;
                    } else {
                        out.add(new long[] {addr, addr + PAGE});
                    }
                }
            }
        }
        return out;
    }
}
