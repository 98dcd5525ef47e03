package dev.jcr.restore;

import dev.jcr.JcrException;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.ImageEntry;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.FileOwners;
import dev.jcr.resource.lock.FileLocks;
import dev.jcr.resource.InProcess;
import dev.jcr.resource.RestoreContext;
import dev.jcr.sys.FileCalls;
import dev.jcr.sys.Linux;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The file descriptions of a restore, opened by jcr itself (with the caller's rights, paths used as
 * paths) and then duplicated into the restored processes. One jcr fd per file id of files.img, so
 * a description shared by several fds or processes before the dump is shared again. Which code
 * recreates a kind of file is its driver's business ({@link DriverTable#forFile}); this table is
 * the generic {@link RestoreContext} they work in.
 */
final class FileTable implements AutoCloseable, RestoreContext {

    private final RestorePlan plan;
    private final FileImages images;
    private final DriverTable drivers;
    private final Map<Integer, Integer> byId = new HashMap<>();
    private final Set<Integer> opening = new HashSet<>();
    /** Descriptions whose O_ASYNC is registered (once, in the first process holding them). */
    private final Set<Integer> asyncDone = new HashSet<>();
    private final Map<Long, Integer> mappings = new HashMap<>();
    private final Map<Integer, Integer> pages = new HashMap<>();
    private final Map<java.nio.file.Path, Integer> pagesFiles = new HashMap<>();
    private final Map<Long, Integer> shmem = new HashMap<>();
    private final Map<Object, Object> state = new HashMap<>();
    private final List<Integer> opened = new ArrayList<>();
    private final List<Runnable> undo = new ArrayList<>();
    private final List<Runnable> beforeResume = new ArrayList<>();

    private final java.util.function.IntUnaryOperator hostPids;

    /** HOST_PIDS: a dumped pid to its pid on this host ({@link #hostPid}). */
    FileTable(RestorePlan plan, DriverTable drivers, java.util.function.IntUnaryOperator hostPids) {
        this.plan = plan;
        this.images = plan.images();
        this.drivers = drivers;
        this.hostPids = hostPids;
    }

    @Override
    public int hostPid(int pid) {
        return hostPids.applyAsInt(pid);
    }

    /** jcr's fd for file ID (recreated by its driver on first use). */
    @Override
    public int fd(int id) {
        Integer fd = byId.get(id);
        if (fd == null) {
            FileEntry f = plan.files().get(id);
            if (f == null) {
                throw images.bad(ImageKind.FILES, null, "has no file " + id + " (referred to by another file)");
            }
            if (!opening.add(id)) {
                throw images.bad(ImageKind.FILES, null, "file " + id + " (" + f.getType() + ") refers to itself through"
                        + " other files");
            }
            try {
                fd = driver(f).restore(f, this);
            } catch (RestoreException | dev.jcr.image.BadImageException e) {
                throw e;
            } catch (JcrException e) {
                throw new RestoreException(e.kind(), "file " + id + " (" + f.getType() + "): " + e.getMessage(), e);
            } finally {
                opening.remove(id);
            }
            byId.put(id, fd);
        }
        return fd;
    }

    /**
     * The drivers' last step inside process P (its fds all in place, with their dumped numbers): once
     * per description P holds, with the first fd it holds it as.
     */
    void settle(ProcessPlan p, InProcess process) {
        Set<Integer> seen = new HashSet<>();
        for (var fd : p.fds()) {
            if (seen.add(fd.getId())) {
                FileEntry f = plan.files().get(fd.getId());
                driver(f).settle(f, new FdUse(p.pid(), fd.getFd()), process, images);
                if (asyncDone.add(fd.getId()) && (FileOwners.flagsOf(f, images) & FileCalls.O_ASYNC) != 0) {
                    enableAsync(process, fd.getFd());
                }
            }
        }
        // the locks the process held, taken again by the process itself on its own fds
        FileLocks.restore(process, images);
    }

    /**
     * Makes O_ASYNC of fd FD take effect, inside the process (the first that holds the description):
     * open(2) records the flag without registering the file for SIGIO (only F_SETFL does, and only when
     * the flag changes), and the registration remembers the fd number the process gets in si_fd, so it
     * is made with that number.
     */
    private static void enableAsync(InProcess p, int fd) {
        long flags = p.call("fcntl(" + fd + ", F_GETFL)", SYS_FCNTL, fd, FileCalls.F_GETFL);
        p.call("fcntl(" + fd + ", F_SETFL)", SYS_FCNTL, fd, FileCalls.F_SETFL, flags & ~FileCalls.O_ASYNC);
        p.call("fcntl(" + fd + ", F_SETFL, O_ASYNC)", SYS_FCNTL, fd, FileCalls.F_SETFL, flags | FileCalls.O_ASYNC);
    }

    private static final int SYS_FCNTL = 72;

    /**
     * Last, once every process and thread of the tree exists (an owner may be any of them): each
     * description's F_SETOWN owner and signal, set on jcr's own fds (they are the descriptions).
     */
    void finish() {
        for (Map.Entry<Integer, Integer> e : byId.entrySet()) {
            FileEntry f = plan.files().get(e.getKey());
            try {
                FileCalls.Owner o = FileOwners.ownerOf(f, images);
                if (o != null && !o.none()) {
                    // set by jcr: the owner's pid as this host sees it
                    FileCalls.setOwner(e.getValue(), o.pid() > 0 ? o.withPid(hostPid(o.pid())) : o);
                }
            } catch (dev.jcr.sys.SyscallException x) {
                throw new RestoreException(x.errno() == dev.jcr.sys.Errno.ESRCH ? Kind.CONFLICT : x.kind(), "file "
                        + f.getId() + " (" + f.getType() + "): cannot give it its owner " + FileOwners.ownerOf(f, images)
                        + ": " + x.getMessage(), x);
            }
        }
    }

    private FileDriver driver(FileEntry f) {
        return drivers.forFile(f, images).orElseThrow(() -> new RestoreException(Kind.UNSUPPORTED,
                "no driver restores " + f.getType() + " files (file " + f.getId() + ")"));
    }

    /** jcr's fd for mapping the regular file ID, read-only or read-write, without touching its access time. */
    int mappingFd(int id, boolean writable) {
        FileEntry f = plan.files().get(id);
        if (f.getType() != dev.jcr.image.proto.FdTypes.REG || driver(f).kind() == dev.jcr.resource.ResourceKind.DELETED_FILE) {
            // an object its driver recreates (a memfd; a file deleted when dumped, recreated unlinked): the
            // mapping shares it with every fd and mapping of it, through the description the dump wrote for
            // it (O_RDWR when a shared mapping writes)
            return fd(id);
        }
        long key = id * 2L + (writable ? 1 : 0);
        Integer fd = mappings.get(key);
        if (fd == null) {
            String path = plan.files().get(id).getReg().getName();
            // O_NOATIME: mapping a file counts as an access (mmap touches its atime); the restore is none
            fd = keep(FileCalls.openNoatime(path, writable ? Linux.O_RDWR : Linux.O_RDONLY));
            mappings.put(key, fd);
        }
        return fd;
    }

    /**
     * jcr's read-write fd of shared anonymous memory object SHMID, made on first use: jcr maps a new
     * MAP_SHARED|MAP_ANONYMOUS area of the object's size itself, reads the saved pages into it from
     * the pages file, and keeps the object through its /proc/self/map_files link (the area is then
     * unmapped). Every process maps this one object, so what was shared is shared again, and it
     * shows as the same "/dev/zero (deleted)" kind of mapping it was.
     */
    int shmemFd(long shmid) {
        Integer fd = shmem.get(shmid);
        if (fd == null) {
            SharedMemoryPlan s = plan.shmem().get(shmid);
            if (s == null) {
                throw new RestoreException(Kind.INTERNAL, "shared memory object " + shmid + " is not in the plan");
            }
            long addr = Linux.mmap(0, s.size(), 3 /* PROT_READ|PROT_WRITE */, Linux.MAP_SHARED | Linux.MAP_ANONYMOUS, -1, 0);
            try {
                for (SharedMemoryPlan.Run r : s.runs()) {
                    long len = r.nrPages() * dev.jcr.image.ProcessMemory.PAGE_SIZE;
                    long got = Linux.pread(pagesFd(s.pagesId()), addr + r.offset(), len, r.pagesOffset());
                    if (got != len) {
                        throw new RestoreException(Kind.BAD_IMAGE, String.format("pages-%d.img: short read of %d/%d"
                                + " bytes at offset %d (shared memory %d)", s.pagesId(), got, len, r.pagesOffset(), shmid));
                    }
                }
                fd = keep(Linux.open(String.format("/proc/self/map_files/%x-%x", addr, addr + s.size()), Linux.O_RDWR, 0));
            } finally {
                Linux.munmap(addr, s.size());
            }
            shmem.put(shmid, fd);
        }
        return fd;
    }

    /** jcr's read-only fd of a pages file (this directory's or a parent image's), opened once. */
    int pagesFd(java.nio.file.Path file) {
        Integer fd = pagesFiles.get(file);
        if (fd == null) {
            fd = keep(Linux.open(file.toString(), Linux.O_RDONLY, 0));
            pagesFiles.put(file, fd);
        }
        return fd;
    }

    int pagesFd(int pagesId) {
        Integer fd = pages.get(pagesId);
        if (fd == null) {
            fd = keep(Linux.open(plan.dir().resolve(ImageKind.PAGES.fileName(pagesId)).toString(), Linux.O_RDONLY, 0));
            pages.put(pagesId, fd);
        }
        return fd;
    }

    @Override
    public void onFailure(Runnable u) {
        undo.add(u);
    }

    @Override
    public void beforeResume(Runnable action) {
        beforeResume.add(action);
    }

    /** Every process is rebuilt: the drivers' last steps before the tree runs (see {@link #beforeResume}). */
    void resume() {
        List<Runnable> steps = new ArrayList<>(beforeResume);
        beforeResume.clear();
        steps.forEach(Runnable::run);
    }

    /** The restore failed: closes jcr's fds, then undoes what drivers left outside them (newest first), never throwing. */
    void rollback() {
        close();
        for (int i = undo.size() - 1; i >= 0; i--) {
            try {
                undo.get(i).run();
            } catch (RuntimeException ignored) {
                // best effort: the failure that got us here is the one to report
            }
        }
        undo.clear();
    }

    @Override
    public int keep(int fd) {
        opened.add(fd);
        return fd;
    }

    @Override
    public <T> T state(Object key, Supplier<T> make) {
        return PlanImages.memo(state, key, make);
    }

    // ---------------------------------------------------------------- FileImages, from the plan

    @Override
    public FileEntry file(int id) {
        return images.file(id);
    }

    @Override
    public List<ImageEntry> read(ImageKind kind, Object id) {
        return images.read(kind, id);
    }

    @Override
    public Path imageFile(ImageKind kind, Object id) {
        return images.imageFile(kind, id);
    }

    @Override
    public List<FdUse> holders(int fileId) {
        return images.holders(fileId);
    }

    @Override
    public Set<Integer> pids() {
        return images.pids();
    }

    @Override
    public Map<Integer, Integer> fdTable(int pid) {
        return images.fdTable(pid);
    }

    @Override
    public boolean option(String option) {
        return images.option(option);
    }

    @Override
    public <T> T derived(Object key, Supplier<T> make) {
        return images.derived(key, make);
    }

    @Override
    public void close() {
        for (int fd : opened) {
            try {
                Linux.close(fd);
            } catch (JcrException ignored) {
                // already closed
            }
        }
        opened.clear();
        state.clear();
    }
}
