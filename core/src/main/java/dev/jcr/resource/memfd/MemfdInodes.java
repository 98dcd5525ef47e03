package dev.jcr.resource.memfd;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MemfdFileEntry;
import dev.jcr.image.proto.MemfdInodeEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.RestoreContext;
import dev.jcr.restore.RestoreException;
import dev.jcr.restore.SharedMemoryPlan;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The memfd objects (inodes) of a dump and of a restore, whatever holds them: fds (one files.img MEMFD
 * entry per open description) and memory mappings (one MEMFD entry per object and access mode) all
 * name their object by inode_id, and the object is saved once, as CRIU does: a memfd_inode_entry in
 * memfd.img (name, owner, size, seals) and its content as a shared memory object
 * (pagemap-shmem-SHMID.img, only the parts that hold data, so holes stay holes).
 *
 * <p>Restore makes each object once: memfd_create with its name, owner, size and content, then its
 * seals (after the content is written, which they may forbid); every description of it is then opened
 * from that one fd through /proc/self/fd, so fds and mappings that shared it (across processes too)
 * share it again.
 */
public final class MemfdInodes {

    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;
    /** F_SEAL_SEAL, SHRINK, GROW, WRITE, FUTURE_WRITE, EXEC. */
    static final int KNOWN_SEALS = 0x3f;
    static final int F_SEAL_EXEC = 0x20;
    static final int MFD_CLOEXEC = Linux.MFD_CLOEXEC;
    static final int MFD_ALLOW_SEALING = 2;
    static final int MFD_NOEXEC_SEAL = 8;
    static final int MFD_EXEC = Linux.MFD_EXEC;
    /** memfd_create's limit on a name (NAME_MAX minus "memfd:"). */
    static final int MAX_NAME_BYTES = 249;
    private static final long HUGETLBFS_MAGIC = 0x958458f6L;
    private static final int CHUNK = 1 << 20;

    private MemfdInodes() {
    }

    /** NAME of a memfd from its /proc link path "/memfd:NAME". */
    public static String name(String path) {
        return path.startsWith("/memfd:") ? path.substring("/memfd:".length()) : path;
    }

    /** The files.img entry of one description of memfd INO (as id ID) opened with FLAGS at POS. */
    public static FileEntry entry(int id, int flags, long pos, long ino) {
        return FileEntry.newBuilder().setType(FdTypes.MEMFD).setId(id).setMemfd(MemfdFileEntry.newBuilder().setId(id)
                .setFlags(flags).setPos(pos).setFown(FileEntries.noOwner()).setInodeId((int) ino)).build();
    }

    /**
     * Saves memfd INO (named NAME) once per dump, read through OBJECT (a /proc link that opens the
     * object itself: the fd's, or a mapping's map_files): owner, size and seals, then its content.
     * WHAT names the holder in errors. A hugetlbfs memfd is refused: its pages cannot be saved this way.
     */
    public static void save(DumpContext ctx, long ino, String name, Path object, String what) {
        if (!ctx.firstTime(List.of(MemfdInodes.class, ino))) {
            return;
        }
        if (ino > 0xffffffffL) {
            throw new NotDumpableException(ctx.pid(), what, "memfd " + name + " has inode " + ino
                    + ", beyond the 32-bit inode_id of CRIU's image");
        }
        int seals;
        Map<String, Object> a;
        int fd = Linux.open(object.toString(), Linux.O_RDONLY, 0);
        try {
            if (Linux.fstatfsType(fd) == HUGETLBFS_MAGIC) {
                throw new NotDumpableException(ctx.pid(), what, "memfd " + name + " is on hugetlbfs (MFD_HUGETLB):"
                        + " not supported");
            }
            seals = Linux.fcntl(fd, F_GET_SEALS, 0);
            a = Files.readAttributes(object, "unix:uid,gid,size");
        } catch (IOException e) {
            throw new NotDumpableException(ctx.pid(), what, "cannot read memfd " + name + ": " + e.getMessage());
        } finally {
            Linux.close(fd);
        }
        ctx.addSharedMemory(ino, object);
        ctx.addEntry(ImageKind.MEMFD_INODE, null, MemfdInodeEntry.newBuilder().setName(name)
                .setUid(((Number) a.get("uid")).intValue()).setGid(((Number) a.get("gid")).intValue())
                .setSize(((Number) a.get("size")).longValue()).setShmid((int) ino).setSeals(seals).setInodeId(ino)
                .build(), null);
    }

    /** One memfd object of the images: its entry and the plan of its content. */
    record Inode(MemfdInodeEntry entry, SharedMemoryPlan content) {
    }

    /**
     * Every memfd object of memfd.img by inode_id, validated once per restore: a name memfd_create
     * takes, known seals, no hugetlb, a size, one entry per inode_id, and content lying inside the size.
     */
    static Map<Long, Inode> inodes(FileImages images) {
        return images.derived(MemfdInodes.class, () -> {
            Map<Long, Inode> out = new HashMap<>();
            for (ImageEntry ie : images.read(ImageKind.MEMFD_INODE, null)) {
                MemfdInodeEntry e = ie.as(MemfdInodeEntry.class);
                String field = "entry " + ie.index() + " (inode_id " + Long.toUnsignedString(e.getInodeId()) + ")";
                byte[] name = e.getName().getBytes(StandardCharsets.UTF_8);
                if (name.length > MAX_NAME_BYTES || e.getName().indexOf('\0') >= 0) {
                    throw images.bad(ImageKind.MEMFD_INODE, null, field + " name is longer than " + MAX_NAME_BYTES
                            + " bytes or holds a NUL");
                }
                if ((e.getSeals() & ~KNOWN_SEALS) != 0) {
                    throw images.bad(ImageKind.MEMFD_INODE, null, String.format("%s seals 0x%x hold unknown bits 0x%x", field,
                            e.getSeals(), e.getSeals() & ~KNOWN_SEALS));
                }
                if (e.getSize() < 0) {
                    throw images.bad(ImageKind.MEMFD_INODE, null, field + " size " + Long.toUnsignedString(e.getSize())
                            + " is beyond any file");
                }
                if (e.hasHugetlbFlag() && e.getHugetlbFlag() != 0) {
                    throw new RestoreException(Kind.UNSUPPORTED, "memfd " + e.getName() + " was on hugetlbfs (MFD_HUGETLB):"
                            + " not supported");
                }
                String id = "shmem-" + Integer.toUnsignedString(e.getShmid());
                // content comes in whole pages: the last may reach past the size
                long pages = (e.getSize() + dev.jcr.image.ProcessMemory.PAGE_SIZE - 1) & -dev.jcr.image.ProcessMemory.PAGE_SIZE;
                SharedMemoryPlan content = SharedMemoryPlan.read(Integer.toUnsignedLong(e.getShmid()), pages,
                        images.read(ImageKind.PAGEMAP, id), images.imageFile(ImageKind.PAGEMAP, id),
                        pagesId -> images.imageFile(ImageKind.PAGES, Integer.toUnsignedString(pagesId)));
                if (out.put(e.getInodeId(), new Inode(e, content)) != null) {
                    throw images.bad(ImageKind.MEMFD_INODE, null, field + " inode_id appears twice");
                }
            }
            return Map.copyOf(out);
        });
    }

    /** jcr's read-write fd of memfd object INODE, made once per restore. */
    static int anchor(Inode inode, RestoreContext ctx) {
        Map<Long, Integer> anchors = ctx.state(MemfdInodes.class, HashMap<Long, Integer>::new);
        Integer fd = anchors.get(inode.entry().getInodeId());
        if (fd == null) {
            fd = recreate(inode, ctx);
            anchors.put(inode.entry().getInodeId(), fd);
        }
        return fd;
    }

    /**
     * memfd_create with the name (sealable; MFD_NOEXEC_SEAL when it had F_SEAL_EXEC, else MFD_EXEC
     * where the kernel knows it, as memfds were before vm.memfd_noexec), owner, size, content (only
     * the saved runs: holes stay holes), and last the seals, which may forbid writing it.
     */
    private static int recreate(Inode inode, RestoreContext ctx) {
        MemfdInodeEntry e = inode.entry();
        boolean noexec = (e.getSeals() & F_SEAL_EXEC) != 0;
        int fd;
        try {
            fd = Linux.memfdCreate(e.getName(), MFD_CLOEXEC | MFD_ALLOW_SEALING | (noexec ? MFD_NOEXEC_SEAL : MFD_EXEC));
        } catch (SyscallException x) {
            if (x.errno() != Errno.EINVAL) {
                throw x;
            }
            fd = Linux.memfdCreate(e.getName(), MFD_CLOEXEC | MFD_ALLOW_SEALING); // a kernel before MFD_EXEC (6.3)
        }
        ctx.keep(fd);
        String what = "memfd " + dev.jcr.Quote.of(e.getName());
        try {
            Linux.fchown(fd, e.getUid(), e.getGid());
        } catch (SyscallException x) {
            throw new RestoreException(x.errno() == Errno.EPERM ? Kind.PERMISSION : Kind.IO, "cannot give " + what
                    + " its owner " + e.getUid() + ":" + e.getGid() + ": " + x.getMessage());
        }
        Linux.ftruncate(fd, e.getSize());
        fill(fd, inode.content(), e.getSize(), ctx, what);
        int seals = e.getSeals() & ~Linux.fcntl(fd, F_GET_SEALS, 0);
        if (seals != 0) {
            Linux.fcntl(fd, F_ADD_SEALS, seals);
        }
        return fd;
    }

    /** Writes the saved runs of CONTENT into FD (of SIZE bytes) at their offsets, from the pages file. */
    private static void fill(int fd, SharedMemoryPlan content, long size, RestoreContext ctx, String what) {
        if (content.runs().isEmpty()) {
            return;
        }
        Path pagesPath = ctx.imageFile(ImageKind.PAGES, Integer.toUnsignedString(content.pagesId()));
        int pages = Linux.open(pagesPath.toString(), Linux.O_RDONLY, 0);
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            for (SharedMemoryPlan.Run r : content.runs()) {
                long len = r.nrPages() * dev.jcr.image.ProcessMemory.PAGE_SIZE;
                for (long done = 0; done < len; done += CHUNK) {
                    int n = (int) Math.min(CHUNK, len - done);
                    buf.clear().limit(n);
                    long got = Linux.pread(pages, buf, r.pagesOffset() + done);
                    if (got != n) {
                        throw new RestoreException(Kind.BAD_IMAGE, pagesPath + ": short read of " + got + "/" + n
                                + " bytes at offset " + (r.pagesOffset() + done) + " (" + what + ")");
                    }
                    buf.position(0).limit(n);
                    // the last page may reach past the size: the file is not grown for it
                    long at = r.offset() + done;
                    int keep = (int) Math.max(0, Math.min(n, size - at));
                    buf.limit(keep);
                    if (keep > 0 && Linux.pwrite(fd, buf, at) != keep) {
                        throw new RestoreException(Kind.IO, "short write into " + what + " at " + at);
                    }
                }
            }
        } finally {
            Linux.close(pages);
        }
    }
}
