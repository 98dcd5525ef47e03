package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

/**
 * posix_spawn(3) through glibc: the one way to start a child from a multithreaded JVM without
 * ProcessBuilder (whose reaper thread would steal the child's ptrace stops). glibc implements it
 * with clone(CLONE_VM|CLONE_VFORK) + exec, which is safe here. Unlike the other calls, posix_spawn
 * returns its error number instead of setting errno.
 */
final class SpawnLib {
    static {
        Native.register(SpawnLib.class, "c");
    }

    /** glibc's POSIX_SPAWN_SETSID: the child starts a new session. */
    static final short POSIX_SPAWN_SETSID = 0x80;
    /** sizeof(posix_spawnattr_t) is 336 on glibc x86_64; room to spare. */
    static final int ATTR_SIZE = 512;

    private SpawnLib() {
    }

    static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, StringArray argv,
            StringArray envp);

    static native int posix_spawnattr_init(Pointer attr) throws LastErrorException;

    static native int posix_spawnattr_setflags(Pointer attr, short flags) throws LastErrorException;

    static native int posix_spawnattr_destroy(Pointer attr) throws LastErrorException;

    /** sizeof(posix_spawn_file_actions_t) is 80 on glibc x86_64; room to spare. */
    static final int FILE_ACTIONS_SIZE = 256;

    // these return their error number, as posix_spawn does
    static native int posix_spawn_file_actions_init(Pointer actions);

    static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    static native int posix_spawn_file_actions_destroy(Pointer actions);
}
