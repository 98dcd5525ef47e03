package dev.jcr.resource.file;

import dev.jcr.Quote;
import dev.jcr.JcrException.Kind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.FileCalls;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Deleted files recreated for a restore. Each dumped inode becomes one new file, created exclusively
 * at its last name when that is free (so /proc/PID/fd shows the name it had) or else under a
 * ".jcr-ghost" name beside it, filled with the saved data (holes stay holes), given its owner, mode and
 * times, and unlinked at once (the directory's times are put back too):
 * afterwards only jcr's "anchor" fd holds it, and every dumped description of that inode is opened
 * from the anchor through /proc/self/fd, so descriptions that shared the file share it again. A ghost
 * of directory mode (a removed working directory) is made as an empty directory and removed the same way.
 */
final class GhostFiles {

    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_DIRECTORY = 0200000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int O_CLOEXEC = 02000000;
    private static final int SYS_FCHMOD = 91;
    private static final int SYS_FCHOWN = 93;
    private static final int TRIES = 100;

    /** jcr's anchor fds of one restore, by dumped inode. */
    private record Anchors(Map<Long, Integer> byInode) {
    }

    private GhostFiles() {
    }

    /** jcr's read-write anchor fd of the recreated inode GHOST (made on first use), for a file named PATH. */
    static int anchor(String path, Ghost ghost, RestoreContext ctx) {
        Map<Long, Integer> anchors = ctx.state(Anchors.class, () -> new Anchors(new HashMap<>())).byInode();
        Integer fd = anchors.get(ghost.ino());
        if (fd == null) {
            fd = recreate(path, ghost, ctx);
            anchors.put(ghost.ino(), fd);
        }
        return fd;
    }

    /** Gives the file its dumped owner when that is not jcr (needs CAP_CHOWN; refused otherwise, naming it). */
    private static void chown(int fd, String name, Ghost ghost) {
        java.util.Map<String, Object> a;
        try {
            a = java.nio.file.Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:uid,gid");
        } catch (java.io.IOException e) {
            throw new RestoreException(Kind.IO, "cannot stat recreated deleted file " + Quote.of(name) + ": " + e.getMessage());
        }
        if (((Number) a.get("uid")).intValue() == ghost.uid() && ((Number) a.get("gid")).intValue() == ghost.gid()) {
            return;
        }
        try {
            Linux.syscall("fchown", Linux.getpid(), SYS_FCHOWN, fd, ghost.uid(), ghost.gid(), 0, 0, 0);
        } catch (SyscallException e) {
            throw new RestoreException(e.errno() == 1 /* EPERM */ ? Kind.PERMISSION : Kind.IO, "cannot give recreated"
                    + " deleted file " + Quote.of(name) + " its owner " + ghost.uid() + ":" + ghost.gid() + ": " + e.getMessage());
        }
    }

    private static boolean directory(Ghost ghost) {
        return (ghost.mode() & S_IFMT) == S_IFDIR;
    }

    private static int recreate(String path, Ghost ghost, RestoreContext ctx) {
        // creating and unlinking a name changes the directory's times: they are put back afterwards
        DirTimes dir = DirTimes.of(Path.of(path).getParent());
        for (int i = 0; i < TRIES; i++) {
            String name = i == 0 ? path : path + ".jcr-ghost." + Linux.getpid() + "." + i;
            int fd;
            try {
                if (directory(ghost)) {
                    // a removed working directory (no content): made empty, held open, removed again below
                    Linux.mkdir(name, 0700);
                    fd = Linux.open(name, Linux.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
                } else {
                    fd = Linux.open(name, Linux.O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                }
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue;
                }
                throw new RestoreException(Kind.IO, "cannot recreate deleted file " + Quote.of(path) + " as " + Quote.of(name) + ": "
                        + e.getMessage(), e);
            }
            ctx.keep(fd);
            try {
                if (!directory(ghost)) {
                    fill(fd, ghost);
                }
                chown(fd, name, ghost);
                // after the chown, which clears set-id bits
                Linux.syscall("fchmod", Linux.getpid(), SYS_FCHMOD, fd, ghost.mode() & 07777, 0, 0, 0, 0);
                if (ghost.hasTimes()) {
                    // last: every write above moved them
                    FileCalls.futimens(fd, ghost.atimeNanos(), ghost.mtimeNanos());
                }
            } finally {
                // the file must not outlive the restore under a name, whatever happens
                try {
                    java.nio.file.Files.deleteIfExists(Path.of(name));
                } catch (java.io.IOException e) {
                    throw new RestoreException(Kind.IO, "cannot unlink recreated deleted file " + Quote.of(name) + ": " + e.getMessage());
                }
                dir.restore();
            }
            return fd;
        }
        throw new RestoreException(Kind.CONFLICT, "cannot recreate deleted file " + Quote.of(path) + ": " + TRIES
                + " names beside it are taken");
    }

    /** Writes only the stretches that held data and sets the size: the holes between them stay holes. */
    private static void fill(int fd, Ghost ghost) {
        for (Ghost.Chunk c : ghost.chunks()) {
            if (c.data().length == 0) {
                continue;
            }
            ByteBuffer b = ByteBuffer.allocateDirect(c.data().length).put(c.data()).flip();
            long off = c.off();
            while (b.hasRemaining()) {
                long n = Linux.pwrite(fd, b, off);
                b.position(b.position() + (int) n);
                off += n;
            }
        }
        Linux.ftruncate(fd, ghost.size());
    }

    /** A directory's access and modification times, read before jcr changes its entries and put back after. */
    private record DirTimes(Path dir, long atime, long mtime) {
        static DirTimes of(Path dir) {
            try {
                Map<String, Object> a = java.nio.file.Files.readAttributes(dir, "unix:lastAccessTime,lastModifiedTime");
                return new DirTimes(dir, ((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS),
                        ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            } catch (java.io.IOException | RuntimeException e) {
                return new DirTimes(dir, -1, -1);
            }
        }

        /** Best effort: a directory jcr may not change (not its owner, no CAP_FOWNER) keeps its new times. */
        void restore() {
            if (atime < 0) {
                return;
            }
            try {
                int fd = Linux.open(dir.toString(), FileCalls.O_DIRECTORY, 0);
                try {
                    FileCalls.futimens(fd, atime, mtime);
                } finally {
                    Linux.close(fd);
                }
            } catch (SyscallException e) {
                // the file itself is restored; only the directory's times moved
            }
        }
    }
}
