package dev.jcr.restore;

import dev.jcr.JcrException;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileRestorer;
import dev.jcr.resource.FileRestorer.Ghost;
import dev.jcr.resource.RestoreTable;
import dev.jcr.sys.Linux;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file descriptions of a restore, opened by jcr itself (with the caller's rights, paths used as
 * paths) and then duplicated into the restored processes. One jcr fd per file id of files.img, so
 * a description shared by several fds or processes before the dump is shared again. Which code
 * recreates a kind of file is the resource driver's business ({@link RestoreTable}).
 */
final class FileTable implements AutoCloseable, FileRestorer.Context {

    private final RestorePlan plan;
    private final RestoreTable drivers;
    private final Map<Integer, Integer> byId = new HashMap<>();
    private final Map<Long, Integer> mappings = new HashMap<>();
    private final Map<Integer, Integer> pages = new HashMap<>();
    private final Map<Integer, int[]> pipes = new HashMap<>();
    private final Map<Long, Integer> shmem = new HashMap<>();
    private final List<Integer> opened = new ArrayList<>();
    private final RemovedDirectories removedDirectories = new RemovedDirectories();

    FileTable(RestorePlan plan, RestoreTable drivers) {
        this.plan = plan;
        this.drivers = drivers;
    }

    /** jcr's fd for file ID (opened on first use). */
    int fd(int id) {
        Integer fd = byId.get(id);
        if (fd == null) {
            FileEntry f = plan.files().get(id);
            FileRestorer r = drivers.forType(f.getType()).orElseThrow(() -> new RestoreException(Kind.UNSUPPORTED,
                    "no driver restores " + f.getType() + " files (file " + id + ")"));
            try {
                fd = r.open(f, this);
            } catch (RestoreException e) {
                throw e;
            } catch (JcrException e) {
                throw new RestoreException(e.kind(), "file " + id + " (" + f.getType() + "): " + e.getMessage(), e);
            }
            byId.put(id, fd);
        }
        return fd;
    }

    /** jcr's fd of working directory ID: a path, or a removed directory recreated for the restore. */
    int cwdFd(int id) {
        Ghost g = plan.ghosts().get(id);
        if (g != null && RemovedDirectories.isDirectory(g)) {
            return removedDirectories.fd(plan.files().get(id).getReg().getName(), g, this);
        }
        return fd(id);
    }

    /** jcr's fd for mapping the regular file ID, read-only or read-write. */
    int mappingFd(int id, boolean writable) {
        if (plan.ghosts().containsKey(id)) {
            // deleted when dumped: the recreated (unlinked) file, opened as its entry says (O_RDWR when
            // a shared mapping writes), one inode for every mapping and fd that had it
            return fd(id);
        }
        long key = id * 2L + (writable ? 1 : 0);
        Integer fd = mappings.get(key);
        if (fd == null) {
            String path = plan.files().get(id).getReg().getName();
            fd = keep(Linux.open(path, writable ? Linux.O_RDWR : Linux.O_RDONLY, 0));
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

    int pagesFd(int pagesId) {
        Integer fd = pages.get(pagesId);
        if (fd == null) {
            fd = keep(Linux.open(plan.dir().resolve(ImageKind.PAGES.fileName(pagesId)).toString(), Linux.O_RDONLY, 0));
            pages.put(pagesId, fd);
        }
        return fd;
    }

    @Override
    public int keep(int fd) {
        opened.add(fd);
        return fd;
    }

    @Override
    public int[] pipe(int pipeId) {
        return pipes.computeIfAbsent(pipeId, id -> {
            int[] p = Linux.pipe();
            keep(p[0]);
            keep(p[1]);
            return p;
        });
    }

    @Override
    public byte[] pipeData(int pipeId) {
        return plan.pipeData().getOrDefault(pipeId, new byte[0]);
    }

    @Override
    public int pipeSize(int pipeId) {
        return plan.pipeSizes().getOrDefault(pipeId, 0);
    }

    @Override
    public byte[] fifoData(int pipeId) {
        return plan.fifoData().getOrDefault(pipeId, new byte[0]);
    }

    @Override
    public int fifoSize(int pipeId) {
        return plan.fifoSizes().getOrDefault(pipeId, 0);
    }

    @Override
    public FileEntry file(int id) {
        return plan.files().get(id);
    }

    @Override
    public Ghost ghost(int id) {
        return plan.ghosts().get(id);
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
    }
}
