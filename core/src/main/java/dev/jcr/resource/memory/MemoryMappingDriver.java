package dev.jcr.resource.memory;

import dev.jcr.image.proto.VmaEntry;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.PageSelection;
import java.util.List;
import dev.jcr.proc.Vma;
import dev.jcr.proc.VmaKind;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Memory areas. Private anonymous memory, heap, stack and mappings of files are supported: their
 * pages are copied (file mappings: private dirty pages) and the area is mapped again. Shared anonymous
 * memory (MAP_SHARED|MAP_ANONYMOUS, also shared with children after fork) is saved once per object and
 * mapped again from one new object in every process that had it. A file deleted while mapped is saved
 * as a ghost file (its content, up to the ghost-file limit, once per inode whatever maps or opens it),
 * recreated and unlinked by the restore, and mapped from there: private mappings get their own dirty
 * pages on top, shared ones share the one recreated file. [vdso], [vvar] and [vsyscall] are provided
 * by the restoring kernel. memfds and SysV shared memory are not supported yet.
 */
public final class MemoryMappingDriver implements ResourceDriver<Vma> {

    private final long ghostLimitBytes;

    /** Deleted mapped files up to GHOST_LIMIT_BYTES are saved in the images. */
    public MemoryMappingDriver(long ghostLimitBytes) {
        this.ghostLimitBytes = ghostLimitBytes;
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.MEMORY_MAPPING;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "private and shared anonymous, heap, stack, file-backed, [vdso]/[vvar]/[vsyscall],"
                + " deleted files up to " + FdDescriber.size(ghostLimitBytes) + " (content saved); not memfd, SysV shm");
    }

    @Override
    public Assessment assess(Vma v) {
        String label = "vma " + v.range();
        String what = describe(v);
        return switch (v.kind()) {
            case ANONYMOUS, ANONYMOUS_SHARED, HEAP, STACK, VDSO, VVAR, VSYSCALL, FILE -> Assessment.supported(label, kind(), what);
            case DELETED_FILE -> v.fileSize() < 0
                    ? Assessment.unsupported(label, kind(), what + ": its size cannot be read (map_files)")
                    : v.fileSize() > ghostLimitBytes
                    ? Assessment.unsupported(label, kind(), what + ": the file holds " + FdDescriber.size(v.fileSize())
                            + ", more than the ghost-file limit of " + FdDescriber.size(ghostLimitBytes) + ": not supported")
                    : Assessment.supported(label, kind(), what + ", content saved (" + FdDescriber.size(v.fileSize()) + ")");
            case MEMFD, SYSV_SHM, OTHER_SPECIAL -> Assessment.unsupported(label, kind(), what + ": not supported yet");
        };
    }

    static String describe(Vma v) {
        String size = FdDescriber.size(v.size()) + " " + v.perms();
        return switch (v.kind()) {
            case ANONYMOUS -> "anonymous memory (" + size + ")";
            case ANONYMOUS_SHARED -> "shared anonymous memory (" + size + ")";
            case HEAP, STACK, VDSO, VVAR, VSYSCALL, OTHER_SPECIAL -> v.path() + " (" + size + ")";
            case FILE -> "mapping of " + v.path() + " (" + size + ")";
            case DELETED_FILE -> "mapping of deleted file " + v.path() + " (" + size + ")";
            case MEMFD -> "mapping of memfd " + v.path().substring("/memfd:".length()) + " (" + size + ")";
            case SYSV_SHM -> "System V shared memory " + v.path() + " (" + size + ")";
        };
    }

    /** True for kinds the table above calls supported (deleted files: up to the limit); used by tests and summaries. */
    public static boolean isSupported(VmaKind k) {
        return switch (k) {
            case ANONYMOUS, ANONYMOUS_SHARED, HEAP, STACK, VDSO, VVAR, VSYSCALL, FILE, DELETED_FILE -> true;
            default -> false;
        };
    }

    /** The ghost-file header of a deleted mapped file: owner, mode, inode and size, content in chunks. */
    private static dev.jcr.image.proto.GhostFileEntry ghost(Vma v, java.nio.file.Path mapFile, long[] stat) {
        int uid = 0;
        int gid = 0;
        try {
            java.util.Map<String, Object> a = java.nio.file.Files.readAttributes(mapFile, "unix:uid,gid");
            uid = ((Number) a.get("uid")).intValue();
            gid = ((Number) a.get("gid")).intValue();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // owner unknown: root's, as for deleted fds
        }
        return dev.jcr.image.proto.GhostFileEntry.newBuilder().setUid(uid).setGid(gid).setMode((int) stat[0])
                .setIno(v.inode()).setSize(stat[1]).setChunks(true).build();
    }

    /**
     * Whether the file behind a mapping was opened for writing: the mode of its map_files link says
     * (the kernel gives the link S_IWUSR exactly when the mapped file is open for writing, which CRIU
     * reads too). It decides a shared mapping's restore: mapped from a read-only open, a later
     * mprotect(PROT_WRITE) fails with EACCES, as it did; from a read-write one it works, as it did,
     * even when the mapping is read-only now. WRITABLE (the current protection) when the link cannot be read.
     */
    static boolean openForWriting(java.nio.file.Path mapFile, boolean writable) {
        try {
            Object mode = java.nio.file.Files.getAttribute(mapFile, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return (((Integer) mode) & 0200) != 0;
        } catch (java.io.IOException | RuntimeException e) {
            return writable;
        }
    }

    // CRIU's vma status bits (VMA_AREA_*, VMA_FILE_*, VMA_ANON_*)
    public static final int VMA_AREA_REGULAR = 1;
    public static final int VMA_AREA_STACK = 1 << 1;
    public static final int VMA_AREA_VSYSCALL = 1 << 2;
    public static final int VMA_AREA_VDSO = 1 << 3;
    public static final int VMA_AREA_HEAP = 1 << 5;
    public static final int VMA_FILE_PRIVATE = 1 << 6;
    public static final int VMA_FILE_SHARED = 1 << 7;
    public static final int VMA_ANON_SHARED = 1 << 8;
    public static final int VMA_ANON_PRIVATE = 1 << 9;
    public static final int VMA_AREA_VVAR = 1 << 12;

    static final int MAP_SHARED = 1;
    static final int MAP_PRIVATE = 2;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_GROWSDOWN = 0x100;
    static final int O_RDWR = 2;

    /**
     * A vma_entry as CRIU writes it, and which pages to copy: all existing pages of anonymous memory,
     * only the privately written pages of private file mappings, none of shared file mappings (they
     * live in the file) nor of the kernel's [vdso]/[vvar]/[vsyscall].
     */
    @Override
    public void dump(Vma v, DumpContext ctx) {
        if (!isSupported(v.kind()) || assess(v).verdict() != Verdict.SUPPORTED) {
            throw new NotDumpableException(ctx.pid(), "vma " + v.range(), describe(v) + ": not supported yet");
        }
        int prot = (v.readable() ? 1 : 0) | (v.writable() ? 2 : 0) | (v.executable() ? 4 : 0);
        VmaEntry.Builder e = VmaEntry.newBuilder().setStart(v.start()).setEnd(v.end()).setPgoff(0).setShmid(0)
                .setProt(prot).setFd(-1);
        int priv = v.shared() ? MAP_SHARED : MAP_PRIVATE;
        PageSelection pages = PageSelection.EXISTING;
        switch (v.kind()) {
            case ANONYMOUS -> e.setFlags(priv | MAP_ANONYMOUS).setStatus(VMA_AREA_REGULAR | VMA_ANON_PRIVATE);
            case ANONYMOUS_SHARED -> {
                // the pages live in the object, saved once however many processes map it
                e.setFlags(MAP_SHARED | MAP_ANONYMOUS).setShmid(v.inode()).setPgoff(v.offset())
                        .setStatus(VMA_AREA_REGULAR | VMA_ANON_SHARED);
                pages = PageSelection.NONE;
                if (ctx.firstTime(List.of("shmem", v.inode()))) {
                    ctx.addSharedMemory(v.inode(), ctx.proc().dir(ctx.pid()).resolve("map_files").resolve(v.range()));
                }
            }
            case HEAP -> e.setFlags(priv | MAP_ANONYMOUS).setStatus(VMA_AREA_REGULAR | VMA_AREA_HEAP | VMA_ANON_PRIVATE);
            case STACK -> e.setFlags(priv | MAP_ANONYMOUS | MAP_GROWSDOWN).setStatus(VMA_AREA_REGULAR | VMA_ANON_PRIVATE);
            case VDSO -> {
                // its code is saved (two pages), as CRIU does: a restore on a kernel whose vDSO differs
                // puts it back and redirects its functions to the new one (restore.VdsoProxy)
                e.setFlags(MAP_PRIVATE | MAP_ANONYMOUS).setStatus(VMA_AREA_REGULAR | VMA_AREA_VDSO | VMA_ANON_PRIVATE);
            }
            case VVAR -> {
                e.setFlags(MAP_PRIVATE | MAP_ANONYMOUS).setStatus(VMA_AREA_REGULAR | VMA_ANON_PRIVATE | VMA_AREA_VVAR);
                pages = PageSelection.NONE;
            }
            case VSYSCALL -> {
                e.setFlags(MAP_PRIVATE | MAP_ANONYMOUS).setStatus(VMA_AREA_VSYSCALL | VMA_ANON_PRIVATE);
                pages = PageSelection.NONE;
            }
            case FILE, DELETED_FILE -> {
                java.nio.file.Path mapFile = ctx.proc().dir(ctx.pid()).resolve("map_files").resolve(v.range());
                int fdflags = v.shared() && openForWriting(mapFile, v.writable()) ? O_RDWR : 0;
                long[] ms = FileEntries.modeAndSize(mapFile);
                if (ms == null && v.kind() == VmaKind.FILE) {
                    ms = FileEntries.modeAndSize(java.nio.file.Path.of(v.path()));
                }
                if (ms == null && v.kind() == VmaKind.DELETED_FILE) {
                    throw new NotDumpableException(ctx.pid(), "vma " + v.range(), describe(v) + ": cannot read it");
                }
                long[] stat = ms == null ? new long[] {0, -1} : ms;
                if (v.kind() == VmaKind.DELETED_FILE && stat[1] > ghostLimitBytes) {
                    throw new NotDumpableException(ctx.pid(), "vma " + v.range(), describe(v) + " grew to "
                            + FdDescriber.size(stat[1]) + ", over the ghost-file limit");
                }
                int id = ctx.fileId(List.of("map", v.path(), v.devMajor(), v.devMinor(), v.inode(), fdflags), fid -> {
                    if (v.kind() == VmaKind.DELETED_FILE) {
                        // the content, once per inode (every description and mapping of it shares the ghost)
                        ctx.addGhostFile(fid, ghost(v, mapFile, stat), mapFile, stat[1]);
                    }
                    return FileEntries.reg(fid, v.path(), fdflags, 0, (int) stat[0], stat[1]);
                });
                e.setFlags(priv).setPgoff(v.offset()).setShmid(id).setFdflags(fdflags)
                        .setStatus(VMA_AREA_REGULAR | (v.shared() ? VMA_FILE_SHARED : VMA_FILE_PRIVATE));
                pages = v.shared() ? PageSelection.NONE : PageSelection.PRIVATE_COPIES;
            }
            default -> throw new NotDumpableException(ctx.pid(), "vma " + v.range(), describe(v) + ": not supported yet");
        }
        ctx.addVma(e.build(), pages);
    }
}
