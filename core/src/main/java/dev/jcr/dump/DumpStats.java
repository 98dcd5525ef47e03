package dev.jcr.dump;

/**
 * Figures of one dump (what stats-dump holds, plus totals). Times in microseconds.
 *
 * @param freezingMicros time to seize the whole tree
 * @param frozenMicros   time the tree was stopped (seized until released)
 * @param memdumpMicros  time to find the pages to copy (pagemap scans, write tracking)
 * @param memwriteMicros time to copy the pages into the pages images
 * @param totalMicros    the whole dump, checks and commit included
 * @param pagesScanned   pages of the dumped memory areas looked at
 * @param pagesWritten   pages copied
 * @param imageBytes     bytes of all image files
 * @param pagesInParent  pages left to the parent images (incremental dumps; CRIU's pages_skipped_parent)
 * @param pagesPrecopied of PAGES_WRITTEN, those copied before the freeze with the tree running (the last
 *                       dump of a chain) and not written again until it
 */
public record DumpStats(long freezingMicros, long frozenMicros, long memdumpMicros, long memwriteMicros,
        long totalMicros, long pagesScanned, long pagesWritten, long imageBytes, long pagesInParent,
        long pagesPrecopied) {
}
