package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** Process-wide calls: prctl(2), personality(2), clock_gettime(2), and syscall(2) for calls glibc has no wrapper for. */
final class ProcessLib {
    static {
        Native.register(ProcessLib.class, "c");
    }

    private ProcessLib() {
    }

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    static native int personality(long persona) throws LastErrorException;

    static native int getpid();

    static native int clock_gettime(int clock, long[] timespec) throws LastErrorException;

    /** glibc's syscall(2) is variadic, but it is plain assembly that reads six integer registers. */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws LastErrorException;
}
