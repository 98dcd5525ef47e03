package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program a restore's seed runs: a private copy of {@code /bin/sleep} in a memfd, executed
 * through {@code /proc/self/fd/N}, never {@code /bin/sleep} itself.
 *
 * <p>Why a copy: every restored process starts as a clone of the seed and finally sets its own
 * executable with {@code prctl(PR_SET_MM_MAP)}, which the kernel refuses (EBUSY) while the old
 * executable's file is still mapped in the process. A restored {@code sleep} (any shell loop) maps
 * {@code /bin/sleep} again before that call, so a seed running {@code /bin/sleep} made every such tree
 * unrestorable. The memfd is a file no target can ever map (it has no path, and its inode exists only
 * in this JVM), so the seed shares no file with what it becomes, whatever the tree runs.
 *
 * <p>Cost: one read of a 40 KiB file and one write into memory, once per JVM (the fd is kept
 * close-on-exec for later restores); exec from a memfd is as fast as from a path. The seed still maps
 * the dynamic loader and libc; the kernel's check concerns the executable only, and the seed's own
 * mappings are all unmapped before the target's are made.
 */
final class SeedExecutable {

    private static final Path PROGRAM = Path.of("/bin/sleep");
    private static int fd = -1;

    private SeedExecutable() {
    }

    /** The path to hand to exec: {@code /proc/self/fd/N}, resolved by the child in its own copy of jcr's fds. */
    static synchronized String path() {
        if (fd < 0) {
            fd = copy();
        }
        return "/proc/self/fd/" + fd;
    }

    private static int copy() {
        byte[] program;
        try {
            program = Files.readAllBytes(PROGRAM);
        } catch (IOException e) {
            throw new RestoreException(Kind.IO, "cannot read the seed program " + PROGRAM + ": " + e.getMessage());
        }
        int memfd;
        try {
            memfd = Linux.memfdCreate("jcr-seed", Linux.MFD_CLOEXEC | Linux.MFD_EXEC);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            memfd = Linux.memfdCreate("jcr-seed", Linux.MFD_CLOEXEC); // before Linux 6.3: no MFD_EXEC, always executable
        }
        try {
            Linux.write(memfd, program);
        } catch (RuntimeException e) {
            Linux.close(memfd);
            throw e;
        }
        return memfd;
    }
}
