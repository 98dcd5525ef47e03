package dev.jcr.image;

import dev.jcr.image.proto.VmaEntry;
import java.util.List;

/** Finding the memory area that holds an address, among an mm image's areas (in address order). */
public final class VmaLookup {

    private VmaLookup() {
    }

    /** The area of ORDERED (address order, not overlapping) holding ADDR, or null (binary search, unsigned). */
    public static VmaEntry containing(List<VmaEntry> ordered, long addr) {
        int lo = 0;
        int hi = ordered.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            VmaEntry v = ordered.get(mid);
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
}
