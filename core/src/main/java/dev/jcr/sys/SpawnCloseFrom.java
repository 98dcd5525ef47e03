package dev.jcr.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * posix_spawn_file_actions_addclosefrom_np(3), glibc 2.34+, on its own: a library without it must
 * not take {@link SpawnLib} (every spawn, a restore's seed included) down with it, as one missing
 * symbol fails a whole directly mapped class.
 */
final class SpawnCloseFrom {

    /** Whether this libc has it. */
    static final boolean AVAILABLE;

    static {
        boolean ok;
        try {
            Native.register(SpawnCloseFrom.class, "c");
            ok = true;
        } catch (UnsatisfiedLinkError e) {
            ok = false;
        }
        AVAILABLE = ok;
    }

    private SpawnCloseFrom() {
    }

    /** Closes every fd from FROM up in the child, after the earlier actions; returns an error number. */
    static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);
}
