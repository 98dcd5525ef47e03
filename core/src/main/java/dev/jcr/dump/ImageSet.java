package dev.jcr.dump;

import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.GhostChunkEntry;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.image.proto.RemapFilePathEntry;
import dev.jcr.image.proto.RemapType;
import dev.jcr.proc.OpenFd;
import dev.jcr.sys.Errno;
import dev.jcr.sys.FileCalls;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What a dump shares across its processes: files.img (one entry per open file description, found
 * with kcmp), ids of objects keyed by what they are, the images drivers append to (pipe and FIFO data …), ghost files. Written out
 * once at the end by {@link #writeShared()}.
 */
final class ImageSet {

    static final int SYS_KCMP = 312;
    static final int KCMP_FILE = 0;

    /** One fd already recorded: another fd of the same inode may be the same open file description. */
    private record SeenFd(int pid, int fd, long inode, int mntId, int id) {
    }

    private final ImageDirWriter dir;
    private final List<FileEntry> files = new ArrayList<>();
    private final Map<Object, Integer> keyed = new HashMap<>();
    private final Map<Long, List<SeenFd>> byInode = new HashMap<>();
    private final Set<Object> seen = new HashSet<>();
    private final List<RemapFilePathEntry> remaps = new ArrayList<>();
    /** Images drivers append to (pipes-data.img …), by kind and id, in the order first used. */
    private final Map<String, ImageWriter> writers = new java.util.LinkedHashMap<>();
    private int nextFileId = 1;
    private int nextGhostId = 1;
    /** Ghost id by inode: the restore recreates one file per inode (GhostFiles), so the dump saves it once. */
    private final java.util.Map<Long, Integer> ghostsByInode = new java.util.HashMap<>();
    private int nextShmemPagesId;

    /** Pages ids of shared memory objects start far above the processes' own (1, 2, …). */
    static final int SHMEM_PAGES_ID = 1 << 20;
    private static final int SHMEM_CHUNK = 1 << 20;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int GHOST_CHUNK = 1 << 20;

    private final DeferredImages later;

    ImageSet(ImageDirWriter dir, DeferredImages later) {
        this.dir = dir;
        this.later = later;
    }

    ImageDirWriter dir() {
        return dir;
    }

    /** The files.img id of PID's FD: shared with an earlier fd of the same open file description. */
    int descriptionId(int pid, OpenFd fd, IntFunction<FileEntry> entry) {
        List<SeenFd> same = byInode.computeIfAbsent(fd.inode(), k -> new ArrayList<>());
        for (SeenFd s : same) {
            if (s.mntId() == fd.mntId() && sameDescription(s.pid(), s.fd(), pid, fd.fd())) {
                return s.id();
            }
        }
        int id = addFile(entry);
        same.add(new SeenFd(pid, fd.fd(), fd.inode(), fd.mntId(), id));
        return id;
    }

    private static boolean sameDescription(int pid1, int fd1, int pid2, int fd2) {
        try {
            return Linux.syscall("kcmp", pid2, SYS_KCMP, pid1, pid2, KCMP_FILE, fd1, fd2, 0) == 0;
        } catch (SyscallException e) {
            return false; // no kcmp: separate entries, each with its own position (still restorable)
        }
    }

    int keyedId(Object key, IntFunction<FileEntry> entry) {
        Integer id = keyed.get(key);
        if (id == null) {
            id = addFile(entry);
            keyed.put(key, id);
        }
        return id;
    }

    int addFile(IntFunction<FileEntry> entry) {
        int id = nextFileId++;
        // reserve the slot first: ENTRY may add files itself (a FIFO's regular-file half)
        int slot = files.size();
        files.add(null);
        files.set(slot, entry.apply(id));
        return id;
    }

    boolean firstTime(Object key) {
        return seen.add(key);
    }

    /** Appends ENTRY (with EXTRA when not null) to image KIND/ID, opened on first use, closed by {@link #writeShared}. */
    void addEntry(ImageKind kind, Object id, com.google.protobuf.Message entry, byte[] extra) {
        ImageWriter w = writers.computeIfAbsent(kind + "/" + id, k -> dir.open(kind, id));
        if (extra == null) {
            w.write(entry);
        } else {
            w.write(entry, extra);
        }
    }

    /**
     * Saves the content of a deleted file as ghost-file-N.img: the header ENTRY, then one chunk per
     * stretch of data (SEEK_DATA/SEEK_HOLE), so that holes stay holes and cost nothing, as CRIU's
     * chunked ghost images do. CONTENT is read with O_NOATIME: the dump does not touch the file's times.
     */
    int addGhostFile(int fileId, GhostFileEntry entry, Path content, long size) {
        Integer known = ghostsByInode.get(entry.getIno());
        if (known != null) {
            // another description or mapping of the same deleted inode: one copy of its content
            remaps.add(RemapFilePathEntry.newBuilder().setOrigId(fileId).setRemapId(known).setRemapType(RemapType.GHOST).build());
            return known;
        }
        int ghost = nextGhostId++;
        ghostsByInode.put(entry.getIno(), ghost);
        // CRIU names ghost images by their id in hex
        try (ImageWriter w = dir.open(ImageKind.GHOST_FILE, Integer.toHexString(ghost))) {
            w.write(entry);
            int fd = FileCalls.openNoatime(content.toString(), Linux.O_RDONLY);
            try {
                writeChunks(w, fd, size);
            } finally {
                Linux.close(fd);
            }
        } catch (SyscallException e) {
            throw new dev.jcr.resource.NotDumpableException(0, content.toString(), "cannot read deleted file: " + e.getMessage());
        }
        remaps.add(RemapFilePathEntry.newBuilder().setOrigId(fileId).setRemapId(ghost).setRemapType(RemapType.GHOST).build());
        return ghost;
    }

    /** The data stretches of the first SIZE bytes of FD as ghost chunks, each split into pieces of at most 1 MiB. */
    private static void writeChunks(ImageWriter w, int fd, long size) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect((int) Math.min(GHOST_CHUNK, Math.max(size, 1)));
        long off = 0;
        while (off < size) {
            long data = FileCalls.seek(fd, off, FileCalls.SEEK_DATA);
            if (data < 0 || data >= size) {
                break;
            }
            long hole = Math.min(size, FileCalls.seek(fd, data, FileCalls.SEEK_HOLE));
            for (long at = data; at < hole; ) {
                int n = (int) Math.min(buf.capacity(), hole - at);
                buf.clear().limit(n);
                long got = Linux.pread(fd, buf, at);
                if (got <= 0) {
                    throw new SyscallException("pread (the file shrank while frozen)", 0, Errno.EIO);
                }
                buf.position(0).limit((int) got);
                w.write(GhostChunkEntry.newBuilder().setOff(at).setLen(got).build(), buf);
                at += got;
            }
            off = hole;
        }
    }

    /**
     * The pages of shared anonymous memory object SHMID, read by jcr from the object itself (OBJECT
     * opens it: a map_files link of PID's mapping), so that pages only another process touched are
     * saved too; only the parts that hold data (SEEK_DATA/SEEK_HOLE) are copied. As CRIU does, the
     * pagemap (pagemap-shmem-SHMID.img) gives offsets within the object as addresses.
     */
    void addSharedMemory(int pid, long shmid, Path object) {
        int fd;
        try {
            fd = Linux.open(object.toString(), Linux.O_RDONLY, 0);
        } catch (SyscallException e) {
            throw new dev.jcr.resource.NotDumpableException(pid, object.toString(),
                    "cannot open shared memory object " + shmid + ": " + e.getMessage());
        }
        try (PagesWriter w = dir.openPages("shmem-" + shmid, SHMEM_PAGES_ID + nextShmemPagesId++)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(SHMEM_CHUNK);
            long off = 0;
            while (true) {
                long data = seek(fd, off, SEEK_DATA, pid, object);
                if (data < 0) {
                    break;
                }
                long hole = seek(fd, data, SEEK_HOLE, pid, object);
                long start = data & ~(PagesWriter.PAGE_SIZE - 1L);
                long end = (hole + PagesWriter.PAGE_SIZE - 1) & ~(PagesWriter.PAGE_SIZE - 1L);
                for (long at = start; at < end; at += SHMEM_CHUNK) {
                    int n = (int) Math.min(SHMEM_CHUNK, end - at);
                    buf.clear().limit(n);
                    long got = Linux.pread(fd, buf, at);
                    if (got != n) {
                        throw new dev.jcr.resource.NotDumpableException(pid, object.toString(),
                                "shared memory object " + shmid + " ended at " + (at + got) + " instead of " + (at + n));
                    }
                    buf.limit(n).position(0);
                    w.addPages(at, PagesWriter.PE_PRESENT, buf);
                }
                off = end;
            }
        } finally {
            Linux.close(fd);
        }
    }

    /** lseek(FD, OFF, WHENCE) for SEEK_DATA/SEEK_HOLE; -1 when no data follows (ENXIO). */
    private static long seek(int fd, long off, int whence, int pid, Path object) {
        try {
            return Linux.syscall("lseek", pid, 8, fd, off, whence, 0, 0, 0);
        } catch (SyscallException e) {
            if (e.errno() == 6 /* ENXIO */) {
                return -1;
            }
            throw new dev.jcr.resource.NotDumpableException(pid, object.toString(), "cannot scan shared memory: "
                    + e.getMessage());
        }
    }

    /** files.img, remap-fpath.img and the data images. */
    void writeShared() {
        later.all(ImageKind.FILES, null, files);
        if (!remaps.isEmpty()) {
            later.all(ImageKind.REMAP_FPATH, null, remaps);
        }
        for (ImageWriter w : writers.values()) {
            w.close();
        }
    }
}
