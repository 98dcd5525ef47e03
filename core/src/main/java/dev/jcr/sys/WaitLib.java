package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** waitpid(2), direct-mapped; the status word comes back through a one-element array. */
final class WaitLib {
    static {
        Native.register(WaitLib.class, "c");
    }

    private WaitLib() {
    }

    static native int waitpid(int pid, int[] status, int options) throws LastErrorException;
}
