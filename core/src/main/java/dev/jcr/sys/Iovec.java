package dev.jcr.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * struct iovec, documented here for its layout (two longs: base, length). Bulk paths write arrays of
 * these straight into native memory (see {@link Linux#processVmReadv}) instead of marshalling objects.
 */
@FieldOrder({"iov_base", "iov_len"})
public final class Iovec extends Structure {
    public static final int SIZE = 16;

    public long iov_base;
    public long iov_len;
}
