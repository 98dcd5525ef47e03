package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.resource.FileRestorer;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Working directories that were removed while processes were in them (a ghost entry of directory
 * mode, no content): each dumped inode becomes one new empty directory, made at its old name when that
 * is free (so /proc/PID/cwd shows "NAME (deleted)" again) or under a ".jcr-ghost" name beside it, with
 * its mode and owner, opened, and removed at once: only jcr's fd holds it until the processes have
 * entered it.
 */
final class RemovedDirectories {

    private static final int SYS_FCHOWN = 93;
    private static final int SYS_FCHMOD = 91;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int TRIES = 100;

    private final Map<Long, Integer> byInode = new HashMap<>();

    static boolean isDirectory(FileRestorer.Ghost g) {
        return (g.mode() & S_IFMT) == S_IFDIR;
    }

    /** jcr's fd of the recreated (already removed) directory of GHOST, last named PATH; made on first use. */
    int fd(String path, FileRestorer.Ghost ghost, FileTable files) {
        Integer fd = byInode.get(ghost.ino());
        if (fd == null) {
            fd = files.keep(recreate(path, ghost));
            byInode.put(ghost.ino(), fd);
        }
        return fd;
    }

    private static int recreate(String path, FileRestorer.Ghost ghost) {
        for (int i = 0; i < TRIES; i++) {
            String name = i == 0 ? path : path + ".jcr-ghost." + Linux.getpid() + "." + i;
            try {
                Linux.mkdir(name, 0700);
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue;
                }
                throw new RestoreException(Kind.IO, "cannot recreate removed directory " + path + " as " + name + ": "
                        + e.getMessage(), e);
            }
            int fd = -1;
            try {
                fd = Linux.open(name, Linux.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | Linux.O_CLOEXEC, 0);
                if (!owner(fd).equals(ghost.uid() + ":" + ghost.gid())) {
                    Linux.syscall("fchown(" + name + ")", 0, SYS_FCHOWN, fd, ghost.uid(), ghost.gid(), 0, 0, 0);
                }
                Linux.syscall("fchmod(" + name + ")", 0, SYS_FCHMOD, fd, ghost.mode() & 07777, 0, 0, 0, 0);
                return fd;
            } catch (SyscallException e) {
                if (fd >= 0) {
                    Linux.close(fd);
                }
                throw new RestoreException(e.errno() == Errno.EPERM ? Kind.PERMISSION : Kind.IO, "cannot recreate"
                        + " removed directory " + path + ": " + e.getMessage(), e);
            } finally {
                // it must not outlive the restore under a name, whatever happens
                Linux.rmdir(name);
            }
        }
        throw new RestoreException(Kind.CONFLICT, "cannot recreate removed directory " + path + ": " + TRIES
                + " names beside it are taken");
    }

    private static String owner(int fd) {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:uid,gid");
            return a.get("uid") + ":" + a.get("gid");
        } catch (IOException e) {
            return "?";
        }
    }
}
