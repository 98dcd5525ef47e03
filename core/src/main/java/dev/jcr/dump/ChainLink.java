package dev.jcr.dump;

import dev.jcr.image.PageRanges;
import java.util.Map;

/**
 * What one dump of an incremental chain holds, for the next dump to build on when the dump itself
 * cannot be read back (it went to a page server): its run id (which the write-tracking records must
 * name) and, per process, the pages it has — copied by it or left to its own parents.
 */
public record ChainLink(String runId, Map<Integer, PageRanges> pages) {

    public ChainLink {
        pages = Map.copyOf(pages);
    }
}
