package dev.jcr.show.diff;

import java.util.List;

/**
 * Pages of one process compared by content. {@code changed}: present in both dumps with different
 * bytes; {@code added}: only the second dump holds contents; {@code removed}: only the first does;
 * {@code unknown}: listed by a pagemap without contents here (lazy), so not comparable.
 * {@code differingBytes} counts the bytes that differ inside changed pages.
 */
public record PageDiff(long compared, long changed, long added, long removed, long unknown, long differingBytes,
                       List<Range> ranges) {

    public enum Kind { changed, added, removed }

    /** Consecutive pages of one kind; {@code mapping} names the mapping they are in. */
    public record Range(long start, long end, Kind kind, long differingBytes, String mapping) {
        public long pages() {
            return (end - start) / 4096;
        }
    }

    public boolean same() {
        return changed == 0 && added == 0 && removed == 0;
    }

    public static final PageDiff NONE = new PageDiff(0, 0, 0, 0, 0, 0, List.of());
}
