package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One shared memory object of a restore (an anonymous shared vma's shmid, or a memfd's): its size
 * (for anonymous memory the furthest any process mapped it, pgoff + length) and the saved pages, at
 * offsets within the object, in pages-PAGES_ID.img. Holes (pages never written) are simply absent.
 */
public record SharedMemoryPlan(long shmid, long size, int pagesId, List<Run> runs) {

    /** NR_PAGES pages at OFFSET in the object, PAGES_OFFSET bytes into the pages file. */
    public record Run(long offset, long nrPages, long pagesOffset) {
    }

    /**
     * The plan of object SHMID of SIZE bytes from PAGEMAP (pagemap-shmem-SHMID.img, at PAGEMAP_FILE;
     * empty when never written: all zero), checked: every run lies inside the object however large or
     * negative the numbers are, and the pages file PAGES_FILE names by id holds every byte they need.
     */
    public static SharedMemoryPlan read(long shmid, long size, List<ImageEntry> pagemap, Path pagemapFile,
            IntFunction<Path> pagesFile) {
        int pagesId = 0;
        List<Run> runs = new ArrayList<>();
        long pagesOffset = 0;
        if (!pagemap.isEmpty()) {
            pagesId = pagemap.get(0).as(PagemapHead.class).getPagesId();
            for (ImageEntry pe : pagemap.subList(1, pagemap.size())) {
                PagemapEntry m = pe.as(PagemapEntry.class);
                long n = ProcessMemory.pageCount(m);
                int flags = ProcessMemory.flags(m);
                if ((flags & PagesWriter.PE_PRESENT) == 0) {
                    continue;
                }
                if ((flags & PagesWriter.PE_PARENT) != 0) {
                    throw new RestoreException(Kind.UNSUPPORTED, "shared memory " + shmid
                            + " has pages in a parent image (incremental dumps are not supported)");
                }
                // vaddr is an offset into the object here; jcr reads the pages into its own mapping of
                // it, so a run must lie inside it however large or negative the numbers are
                if (m.getVaddr() < 0 || m.getVaddr() % ProcessMemory.PAGE_SIZE != 0 || n <= 0
                        || n > size / ProcessMemory.PAGE_SIZE || m.getVaddr() > size - n * ProcessMemory.PAGE_SIZE) {
                    throw new BadImageException(pagemapFile.toString(), pe.offset(), String.format(
                            "entry %d: %d pages at offset 0x%x lie outside the %d-byte object", pe.index(), n,
                            m.getVaddr(), size));
                }
                runs.add(new Run(m.getVaddr(), n, pagesOffset));
                pagesOffset += n * ProcessMemory.PAGE_SIZE;
            }
        }
        checkPagesFile(pagemapFile, pagesFile, pagesId, pagesOffset);
        return new SharedMemoryPlan(shmid, size, pagesId, List.copyOf(runs));
    }

    /** The pages file PAGES_ID holds at least NEEDED bytes (none needed: may be absent). */
    private static void checkPagesFile(Path pagemapFile, IntFunction<Path> pagesFile, int pagesId, long needed) {
        if (needed == 0) {
            return;
        }
        Path pages = pagesFile.apply(pagesId);
        long size;
        try {
            size = Files.size(pages);
        } catch (NoSuchFileException e) {
            throw new BadImageException(pagemapFile.toString(), -1, "pages_id " + Integer.toUnsignedString(pagesId)
                    + " names " + pages.getFileName() + ", which does not exist (" + needed + " bytes are needed from it)");
        } catch (IOException e) {
            throw ImageIoException.of(pages, "read", e);
        }
        if (size < needed) {
            throw new BadImageException(pagemapFile.toString(), -1, "needs " + needed + " bytes of " + pages.getFileName()
                    + ", which holds " + size);
        }
    }
}
