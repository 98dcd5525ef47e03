package dev.jcr.restore;

import java.util.List;

/**
 * One shared anonymous memory object of a restore (vma shmid): its size (the furthest any process
 * mapped it, pgoff + length) and the saved pages, at offsets within the object, in pages-PAGES_ID.img.
 */
record SharedMemoryPlan(long shmid, long size, int pagesId, List<Run> runs) {

    /** NR_PAGES pages at OFFSET in the object, PAGES_OFFSET bytes into the pages file. */
    record Run(long offset, long nrPages, long pagesOffset) {
    }
}
