package dev.jcr.image;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of page-aligned address ranges, ascending, disjoint and merged, with the few set operations
 * incremental dumps need (which pages a parent image holds, which of the present ones to copy).
 * Immutable; built with {@link Builder} from ranges added in ascending order.
 */
public final class PageRanges {

    public static final PageRanges EMPTY = new PageRanges(new long[0], new long[0]);

    private final long[] starts;
    private final long[] ends;

    private PageRanges(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    public static PageRanges of(long start, long end) {
        return Long.compareUnsigned(start, end) < 0 ? new PageRanges(new long[] {start}, new long[] {end}) : EMPTY;
    }

    public int count() {
        return starts.length;
    }

    public long start(int i) {
        return starts[i];
    }

    public long end(int i) {
        return ends[i];
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }

    /** Total bytes. */
    public long bytes() {
        long b = 0;
        for (int i = 0; i < starts.length; i++) {
            b += ends[i] - starts[i];
        }
        return b;
    }

    /** True when every byte of [START, END) is in the set. */
    public boolean covers(long start, long end) {
        return intersect(of(start, end)).bytes() == end - start;
    }

    public PageRanges intersect(PageRanges o) {
        Builder b = new Builder();
        int i = 0;
        int j = 0;
        while (i < starts.length && j < o.starts.length) {
            long s = max(starts[i], o.starts[j]);
            long e = min(ends[i], o.ends[j]);
            if (Long.compareUnsigned(s, e) < 0) {
                b.add(s, e);
            }
            if (Long.compareUnsigned(ends[i], o.ends[j]) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return b.build();
    }

    public PageRanges subtract(PageRanges o) {
        Builder b = new Builder();
        int j = 0;
        for (int i = 0; i < starts.length; i++) {
            long s = starts[i];
            long e = ends[i];
            while (j < o.starts.length && Long.compareUnsigned(o.ends[j], s) <= 0) {
                j++;
            }
            int k = j;
            while (Long.compareUnsigned(s, e) < 0 && k < o.starts.length && Long.compareUnsigned(o.starts[k], e) < 0) {
                if (Long.compareUnsigned(o.starts[k], s) > 0) {
                    b.add(s, o.starts[k]);
                }
                s = max(s, o.ends[k]);
                k++;
            }
            if (Long.compareUnsigned(s, e) < 0) {
                b.add(s, e);
            }
        }
        return b.build();
    }

    public PageRanges union(PageRanges o) {
        Builder b = new Builder();
        int i = 0;
        int j = 0;
        while (i < starts.length || j < o.starts.length) {
            boolean mine = j >= o.starts.length || (i < starts.length && Long.compareUnsigned(starts[i], o.starts[j]) <= 0);
            if (mine) {
                b.addMerging(starts[i], ends[i]);
                i++;
            } else {
                b.addMerging(o.starts[j], o.ends[j]);
                j++;
            }
        }
        return b.build();
    }

    private static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < starts.length && i < 8; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("0x%x-0x%x", starts[i], ends[i]));
        }
        return s.append(starts.length > 8 ? ", …}" : "}").toString();
    }

    /** Collects ranges given in ascending order; touching ranges merge. */
    public static final class Builder {
        private final List<long[]> ranges = new ArrayList<>();

        /** Adds [START, END), which must not begin before the last range added ends. */
        public Builder add(long start, long end) {
            if (Long.compareUnsigned(start, end) >= 0) {
                return this;
            }
            if (!ranges.isEmpty()) {
                long[] last = ranges.get(ranges.size() - 1);
                if (Long.compareUnsigned(start, last[1]) < 0) {
                    throw new IllegalArgumentException(String.format("range 0x%x-0x%x added after 0x%x", start, end, last[1]));
                }
                if (start == last[1]) {
                    last[1] = end;
                    return this;
                }
            }
            ranges.add(new long[] {start, end});
            return this;
        }

        /** Adds [START, END), which may overlap the last range added (START not below the last start). */
        Builder addMerging(long start, long end) {
            if (!ranges.isEmpty()) {
                long[] last = ranges.get(ranges.size() - 1);
                if (Long.compareUnsigned(start, last[1]) <= 0) {
                    last[1] = max(last[1], end);
                    return this;
                }
            }
            return add(start, end);
        }

        public PageRanges build() {
            long[] s = new long[ranges.size()];
            long[] e = new long[ranges.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = ranges.get(i)[0];
                e[i] = ranges.get(i)[1];
            }
            return new PageRanges(s, e);
        }
    }
}
