package dev.jcr.testing;

/**
 * What the {@code sparse} fixture prints and writes: lines {@code KEY ADDR LEN} (hex) naming its
 * areas (SPARSE, BIG, MIXED, RO), and in every page it touched the words {@link #word}.
 */
public final class SparseFixture {

    private SparseFixture() {
    }

    /** {address, length} of area KEY from the fixture's output OUT. */
    public static long[] area(String out, String key) {
        for (String line : out.split("\n")) {
            if (line.startsWith(key + " ")) {
                String[] f = line.split(" ");
                return new long[] {Long.parseUnsignedLong(f[1], 16), Long.parseUnsignedLong(f[2], 16)};
            }
        }
        throw new AssertionError("no " + key + " in " + out);
    }

    /** Word I of the page at PAGE_ADDR, as sparse.c fills it. */
    public static long word(long pageAddr, long i) {
        return pageAddr ^ ((i + 1) * 0x9e3779b97f4a7c15L);
    }
}
