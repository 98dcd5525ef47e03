package dev.jcr.resource.unix;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.FilePermsEntry;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.proc.Devices;
import dev.jcr.proc.UnixSock;
import dev.jcr.proc.UnixSockets;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The file of a unix socket bound to a path: what a dump records of it (owner, mode, times, whether its
 * name was deleted while bound) and how a restore makes it again. bind() creates the file; the restore
 * then gives it its owner, mode and times back, and removes it again if the restore fails.
 *
 * <p>A name deleted while bound is recreated as CRIU does: bound for a moment (parent directories made
 * if needed, a file now in the way moved aside and back), opened O_PATH, unlinked. The socket keeps its
 * name as the process saw it, no file is left, and sockets of the tree that connect to it reach it
 * through /proc/self/fd/N of that O_PATH fd.
 *
 * <p>A stale socket file left at the path by the dumped process (killed with the dump) is removed
 * first; one that a live socket is bound to is a conflict (restoring would steal it).
 */
final class SocketFiles {

    /** SIOCPROTOPRIVATE + 0: an O_PATH fd of a bound unix socket's file, even when it was deleted. */
    private static final int SIOCUNIXFILE = 0x89E0;
    private static final int O_PATH = 0x200000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final long RELEASE_WAIT_NANOS = 5_000_000_000L;

    private SocketFiles() {
    }

    /** What a dump keeps of the socket file of a path-bound socket. */
    record Dumped(FilePermsEntry perms, boolean deleted) {
    }

    /** The file of path-bound socket LOCAL (jcr's fd), found through the socket itself (SIOCUNIXFILE). */
    static Dumped of(int local, UnixSock s) {
        int file = (int) Sockets.ioctl(local, SIOCUNIXFILE, 0, "SIOCUNIXFILE");
        try {
            Path p = Path.of("/proc/self/fd/" + file);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastAccessTime,lastModifiedTime");
            FilePermsEntry perms = FilePermsEntry.newBuilder().setMode((Integer) a.get("mode"))
                    .setUid((Integer) a.get("uid")).setGid((Integer) a.get("gid"))
                    .setJcrAtimeNs(nanos((FileTime) a.get("lastAccessTime")))
                    .setJcrMtimeNs(nanos((FileTime) a.get("lastModifiedTime"))).build();
            boolean deleted = Files.readSymbolicLink(p).toString().endsWith(" (deleted)");
            return new Dumped(perms, deleted);
        } catch (IOException e) {
            throw new SyscallException("stat of the file of unix socket " + s.nameText() + " (" + e.getMessage() + ")",
                    0, dev.jcr.sys.Errno.EIO);
        } finally {
            Linux.close(file);
        }
    }

    /**
     * Plan time: can E's name be bound again? Its directory must exist (unless the name was deleted),
     * and the path must be free or hold a stale socket file. WHO names the socket in messages.
     */
    static void check(UnixSkEntry e, String who) {
        Path path = path(e);
        if (!e.getDeleted() && !Files.isDirectory(path.getParent())) {
            throw new RestoreException(Kind.CONFLICT, who + ": the directory of " + path + " no longer exists");
        }
        if (!e.getDeleted()) {
            inTheWay(path, who, false);
        }
    }

    /**
     * Binds FD (jcr's new socket) to E's path name. Returns an O_PATH fd of the file when the name was
     * deleted (kept by CTX; connect through /proc/self/fd/N), else -1.
     */
    static int bind(int fd, UnixSkEntry e, RestoreContext ctx, String who) {
        Path path = path(e);
        if (e.getDeleted()) {
            return bindDeleted(fd, e, path, ctx, who);
        }
        inTheWay(path, who, true);
        Sockets.bind(fd, Sockets.unixAddress(e.getName().toByteArray()));
        Object made = fileKey(path);
        ctx.onFailure(() -> {
            if (made != null && made.equals(fileKey(path))) {
                path.toFile().delete();
            }
        });
        perms(path, e, who);
        return -1;
    }

    private static int bindDeleted(int fd, UnixSkEntry e, Path path, RestoreContext ctx, String who) {
        List<Path> madeDirs = new ArrayList<>();
        Path aside = path.resolveSibling(path.getFileName() + ".jcr-sk-ghost");
        boolean moved = false;
        try {
            for (Path d = path.getParent(); d != null && !Files.exists(d); d = d.getParent()) {
                madeDirs.add(0, d);
            }
            for (Path d : madeDirs) {
                Files.createDirectory(d);
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            }
            Sockets.bind(fd, Sockets.unixAddress(e.getName().toByteArray()));
            perms(path, e, who);
            int opath = ctx.keep(Linux.open(path.toString(), O_PATH, 0));
            Files.delete(path);
            return opath;
        } catch (FileAlreadyExistsException x) {
            throw new RestoreException(Kind.CONFLICT, who + ": " + aside + " is in the way of the deleted name "
                    + path + " being bound for a moment");
        } catch (IOException x) {
            throw new RestoreException(Kind.IO, who + ": cannot bind the deleted name " + path + " for a moment: " + x);
        } finally {
            try {
                if (moved) {
                    Files.move(aside, path, StandardCopyOption.ATOMIC_MOVE);
                }
                for (int i = madeDirs.size() - 1; i >= 0; i--) {
                    Files.deleteIfExists(madeDirs.get(i));
                }
            } catch (IOException x) {
                // best effort: the bind's own failure, if any, is the one to report
            }
        }
    }

    /**
     * Whatever is at PATH: nothing is fine; a socket file nobody is bound to (left by the dumped process)
     * is removed when REMOVE; a live socket's file or any other file is a conflict.
     */
    private static void inTheWay(Path path, String who, boolean remove) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,ino,dev", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException x) {
            return; // nothing there
        }
        if (((Integer) a.get("mode") & S_IFMT) != S_IFSOCK) {
            throw new RestoreException(Kind.CONFLICT, who + ": " + path + " exists and is no socket");
        }
        long stDev = (Long) a.get("dev");
        long kernelDev = ((long) Devices.major(stDev) << 20) | Devices.minor(stDev);
        long deadline = System.nanoTime() + RELEASE_WAIT_NANOS;
        List<UnixSock> bound;
        while (!(bound = UnixSockets.query().boundTo((Long) a.get("ino"), kernelDev)).isEmpty()) {
            // a socket whose last holder is still exiting (the dumped tree, killed) goes away in a moment
            long holder = dev.jcr.proc.ProcFs.system().holderOf("socket:[" + bound.get(0).inode() + "]",
                    java.util.Set.of());
            if (holder > 0 || System.nanoTime() > deadline) {
                throw new RestoreException(Kind.CONFLICT, who + ": " + path + " is the name of a socket in use"
                        + (holder > 0 ? " (held by pid " + holder + ")" : "") + "; is the dumped process still running?");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        if (remove) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException x) {
                throw new RestoreException(Kind.IO, who + ": cannot remove the stale socket file " + path + ": " + x);
            }
        }
    }

    private static void perms(Path path, UnixSkEntry e, String who) {
        if (!e.hasFilePerms()) {
            return;
        }
        FilePermsEntry p = e.getFilePerms();
        try {
            Files.setAttribute(path, "unix:mode", p.getMode() & 07777);
            Files.setAttribute(path, "unix:uid", p.getUid());
            Files.setAttribute(path, "unix:gid", p.getGid());
            if (p.hasJcrMtimeNs()) {
                Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(
                        FileTime.from(p.getJcrMtimeNs(), TimeUnit.NANOSECONDS),
                        FileTime.from(p.getJcrAtimeNs(), TimeUnit.NANOSECONDS), null);
            }
        } catch (IOException | UnsupportedOperationException x) {
            throw new RestoreException(Kind.PERMISSION, who + ": cannot give " + path + " its owner " + p.getUid() + ":"
                    + p.getGid() + " and mode " + Integer.toOctalString(p.getMode() & 07777) + " back: " + x);
        }
    }

    /** The path of a path-bound entry (its name without the trailing NUL). */
    static Path path(UnixSkEntry e) {
        return Path.of(Sockets.unixName(e.getName().toByteArray()));
    }

    /** inode and device of PATH (not following links), or null when nothing is there. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, "unix:ino,dev", LinkOption.NOFOLLOW_LINKS).toString();
        } catch (IOException x) {
            return null;
        }
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
