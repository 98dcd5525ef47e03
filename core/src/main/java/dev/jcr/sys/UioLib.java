package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * process_vm_readv/writev(2), direct-mapped because the dump engine moves gigabytes through them:
 * iovec arrays are native memory passed by address, never Java objects marshalled per call.
 */
final class UioLib {
    static {
        Native.register(UioLib.class, "c");
    }

    private UioLib() {
    }

    static native long process_vm_readv(int pid, long localIov, long localCount, long remoteIov, long remoteCount,
            long flags) throws LastErrorException;

    static native long process_vm_writev(int pid, long localIov, long localCount, long remoteIov, long remoteCount,
            long flags) throws LastErrorException;
}
