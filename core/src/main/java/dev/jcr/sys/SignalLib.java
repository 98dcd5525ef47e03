package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** Sending signals: kill(2); tgkill and rt_tgsigqueueinfo go through {@link ProcessLib#syscall}. */
final class SignalLib {
    static {
        Native.register(SignalLib.class, "c");
    }

    private SignalLib() {
    }

    static native int kill(int pid, int sig) throws LastErrorException;
}
