package dev.jcr.show.model;

import com.google.protobuf.Message;
import dev.jcr.JcrException;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageChain;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.StatsEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One checkpoint image directory as the viewer sees it: the process tree and, per process, its
 * core, ids, mm, fs, fds and memory, read on demand and cached. Small images are parsed whole; the
 * pages files are only ever opened through {@link ProcessMemory}, which streams them.
 *
 * <p>Every inconsistency between images (a pstree naming a pid without a core image, an fd
 * pointing at a file id that {@code files.img} lacks where it matters) is a {@link BadImageException}
 * naming the file, never an unchecked exception.
 */
public final class Dump {

    private final ImageDir dir;
    private final InventoryEntry inventory;
    private final List<PstreeEntry> pstree;
    /** A pre-dump (CRIU's pre_dump_mode set, no pstree): memory only, its processes known by their pagemaps. */
    private final boolean preDump;
    private final Map<Integer, CoreEntry> cores = new HashMap<>();
    private final Map<Integer, MmEntry> mms = new HashMap<>();
    private final Map<Integer, TaskKobjIdsEntry> ids = new HashMap<>();
    private Map<Integer, FileEntry> files;
    private FileNames names;

    private Dump(ImageDir dir) {
        this.dir = dir;
        this.inventory = guard(() -> dir.readSingle(ImageKind.INVENTORY, null, InventoryEntry.class), ImageKind.INVENTORY, null);
        List<PstreeEntry> tree = guard(() -> dir.readAll(ImageKind.PSTREE, null, PstreeEntry.class), ImageKind.PSTREE, null);
        this.preDump = tree.isEmpty() && inventory.hasPreDumpMode();
        if (preDump) {
            tree = pagemapPids(dir).stream().map(p -> PstreeEntry.newBuilder().setPid(p).setPpid(0).setPgid(p).setSid(p)
                    .addThreads(p).build()).toList();
        }
        if (tree.isEmpty()) {
            throw new BadImageException(dir.file(ImageKind.PSTREE, null).toString(), -1, "missing or empty: no process in this dump");
        }
        this.pstree = tree.stream().sorted(Comparator.comparingInt(PstreeEntry::getPid)).toList();
    }

    /** Opens image directory {@code path}: a missing directory is an I/O error, a directory without inventory a bad image. */
    public static Dump open(Path path) {
        return new Dump(ImageDir.open(path));
    }

    public Path path() {
        return dir.path();
    }

    /** A pre-dump: memory only (pagemaps and pages), the first links of an incremental chain. */
    public boolean preDump() {
        return preDump;
    }

    /**
     * The chain of parent images, nearest first (empty for a dump without a {@code parent} link); a
     * broken chain (a dangling link, a loop) is a {@link BadImageException}.
     */
    public List<Path> parents() {
        List<Path> all = PageChain.lineage(dir.path());
        return all.subList(1, all.size());
    }

    /** The pids that have a pagemap image in DIR (a pre-dump's processes). */
    private static List<Integer> pagemapPids(ImageDir dir) {
        List<Integer> out = new ArrayList<>();
        for (Path f : dir.files()) {
            String n = f.getFileName().toString();
            if (n.startsWith("pagemap-") && n.endsWith(".img") && !n.startsWith("pagemap-shmem-")) {
                try {
                    out.add(Integer.parseInt(n.substring(8, n.length() - 4)));
                } catch (NumberFormatException ignored) {
                    // not a process's pagemap
                }
            }
        }
        return out;
    }

    public ImageDir images() {
        return dir;
    }

    public InventoryEntry inventory() {
        return inventory;
    }

    /** Process entries sorted by pid. */
    public List<PstreeEntry> processes() {
        return pstree;
    }

    public Optional<PstreeEntry> process(int pid) {
        return pstree.stream().filter(p -> p.getPid() == pid).findFirst();
    }

    /** Thread ids of a process; the pstree lists them, an old image that does not means just the leader. */
    public static List<Integer> threads(PstreeEntry p) {
        return p.getThreadsCount() == 0 ? List.of(p.getPid()) : p.getThreadsList().stream().sorted().toList();
    }

    public int threadCount() {
        return pstree.stream().mapToInt(p -> threads(p).size()).sum();
    }

    /** The core image of thread {@code tid} (required). */
    public CoreEntry core(int tid) {
        if (preDump) {
            throw new BadImageException(dir.path().toString(), -1,
                    "is a pre-dump (memory only): it holds no process state, see the dump made with it as parent");
        }
        return cores.computeIfAbsent(tid, t -> guard(() -> dir.readSingle(ImageKind.CORE, t, CoreEntry.class), ImageKind.CORE, t));
    }

    /** The ids of a process: {@code ids-PID.img}, or those inside its core for images that have them there. */
    public TaskKobjIdsEntry ids(int pid) {
        return ids.computeIfAbsent(pid, p -> {
            if (dir.has(ImageKind.IDS, p)) {
                return guard(() -> dir.readSingle(ImageKind.IDS, p, TaskKobjIdsEntry.class), ImageKind.IDS, p);
            }
            CoreEntry core = core(p);
            if (core.hasIds()) {
                return core.getIds();
            }
            throw new BadImageException(dir.file(ImageKind.IDS, p).toString(), -1, "missing, and core-" + p + ".img has no ids");
        });
    }

    public MmEntry mm(int pid) {
        return mms.computeIfAbsent(pid, p -> guard(() -> dir.readSingle(ImageKind.MM, p, MmEntry.class), ImageKind.MM, p));
    }

    public boolean hasMm(int pid) {
        return !preDump && dir.has(ImageKind.MM, pid);
    }

    /** The fs image of a process (cwd, root, umask); none for a zombie. */
    public Optional<FsEntry> fs(int pid) {
        if (!dir.has(ImageKind.FS, pid)) {
            return Optional.empty();
        }
        return Optional.of(guard(() -> dir.readSingle(ImageKind.FS, pid, FsEntry.class), ImageKind.FS, pid));
    }

    /** Open fds of a process, sorted by fd number; a zombie (or dead task) has none and no ids image. */
    public List<FdinfoEntry> fds(int pid) {
        if (preDump) {
            return List.of();
        }
        if (!dir.has(ImageKind.IDS, pid) && !core(pid).hasIds() && core(pid).hasTc()
                && (core(pid).getTc().getTaskState() == 6 || core(pid).getTc().getTaskState() == 2)) {
            return List.of();
        }
        int filesId = ids(pid).getFilesId();
        List<FdinfoEntry> all = guard(() -> dir.readAll(ImageKind.FDINFO, filesId, FdinfoEntry.class), ImageKind.FDINFO, filesId);
        return all.stream().sorted(Comparator.comparingInt(FdinfoEntry::getFd)).toList();
    }

    /** Every file object of the dump by id ({@code files.img}, or the per-kind images of older CRIU). */
    public Map<Integer, FileEntry> files() {
        if (files == null) {
            files = guard(this::loadFiles, ImageKind.FILES, null);
        }
        return files;
    }

    public Optional<FileEntry> file(int id) {
        return Optional.ofNullable(files().get(id));
    }

    /** Names of files, sockets and mappings, as a person reads them. */
    public FileNames names() {
        if (names == null) {
            names = new FileNames(this);
        }
        return names;
    }

    public Optional<StatsEntry> stats() {
        if (!dir.has(ImageKind.STATS, "dump")) {
            return Optional.empty();
        }
        return Optional.of(guard(() -> dir.readSingle(ImageKind.STATS, "dump", StatsEntry.class), ImageKind.STATS, "dump"));
    }

    /** Entries of any image (absent image: none), with errors made typed. */
    public List<ImageEntry> read(ImageKind kind, Object id) {
        return guard(() -> dir.read(kind, id), kind, id);
    }

    public <T extends Message> List<T> readAll(ImageKind kind, Object id, Class<T> type) {
        return guard(() -> dir.readAll(kind, id, type), kind, id);
    }

    /** The dumped memory of a process; the caller closes it. */
    public ProcessMemory memory(int pid) {
        return guard(() -> dir.memory(pid), ImageKind.PAGEMAP, pid);
    }

    public boolean hasMemory(int pid) {
        return dir.has(ImageKind.PAGEMAP, pid);
    }

    private Map<Integer, FileEntry> loadFiles() {
        Map<Integer, FileEntry> byId = new LinkedHashMap<>();
        if (dir.has(ImageKind.FILES, null)) {
            for (FileEntry f : dir.readAll(ImageKind.FILES, null, FileEntry.class)) {
                byId.putIfAbsent(f.getId(), f);
            }
            return byId;
        }
        // CRIU before 3.x kept one image per kind; rebuild file entries from those.
        List<FileEntry> old = new ArrayList<>();
        dir.readAll(ImageKind.REG_FILES, null, dev.jcr.image.proto.RegFileEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.REG).setId(e.getId()).setReg(e).build()));
        dir.readAll(ImageKind.PIPES, null, dev.jcr.image.proto.PipeEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.PIPE).setId(e.getId()).setPipe(e).build()));
        dir.readAll(ImageKind.FIFO, null, dev.jcr.image.proto.FifoEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.FIFO).setId(e.getId()).setFifo(e).build()));
        dir.readAll(ImageKind.UNIXSK, null, dev.jcr.image.proto.UnixSkEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.UNIXSK).setId(e.getId()).setUsk(e).build()));
        dir.readAll(ImageKind.INETSK, null, dev.jcr.image.proto.InetSkEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.INETSK).setId(e.getId()).setIsk(e).build()));
        dir.readAll(ImageKind.EVENTFD_FILE, null, dev.jcr.image.proto.EventfdFileEntry.class)
                .forEach(e -> old.add(FileEntry.newBuilder().setType(FdTypes.EVENTFD).setId(e.getId()).setEfd(e).build()));
        for (FileEntry f : old) {
            byId.putIfAbsent(f.getId(), f);
        }
        return byId;
    }

    interface Read<T> {
        T get();
    }

    /**
     * Runs a read; an unchecked failure that is not already one of jcr's typed errors (a message of
     * the wrong type in an image, say) becomes a {@link BadImageException} naming the image.
     */
    <T> T guard(Read<T> read, ImageKind kind, Object id) {
        try {
            return read.get();
        } catch (JcrException e) {
            throw e;
        } catch (RuntimeException e) {
            String file = id == null && !kind.fileTemplate().contains("%s") ? kind.fileName() : kind.fileName(id);
            throw new BadImageException(dir.path().resolve(file).toString(), -1, "inconsistent image: " + e.getMessage(), e);
        }
    }
}
