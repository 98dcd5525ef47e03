package dev.jcr.restore;

import dev.jcr.image.ImagePath;
import dev.jcr.Quote;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageChain;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.image.proto.UserX86RegsMode;
import dev.jcr.image.proto.VmaEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an image directory into a {@link RestorePlan} and checks everything that can be checked
 * before a process exists: images present and consistent with each other, every resource of a kind
 * jcr can recreate, mapped files unchanged, every pid and tid free. Nothing is created here.
 */
public final class PlanBuilder {

    /** madv bits a restore gives again (MADV_DONTFORK …); others (MADV_DONTNEED, MADV_REMOVE …) would destroy data. */
    private static final long KNOWN_ADVICE = dev.jcr.proc.VmFlags.ADVICE.values().stream()
            .mapToLong(a -> 1L << a).reduce(0, (a, b) -> a | b);

    private final ImageDir dir;
    private final Path procRoot;
    private final DriverTable drivers;
    private final Set<String> options;
    private Map<Integer, FileEntry> files;
    private PlanImages images;

    private PlanBuilder(ImageDir dir, Path procRoot, DriverTable drivers, Set<String> options) {
        this.dir = dir;
        this.procRoot = procRoot;
        this.drivers = drivers;
        this.options = Set.copyOf(options);
    }

    /** Reads and validates the images in DIR; throws a {@link dev.jcr.JcrException} naming the first problem. */
    public static RestorePlan build(Path dir) {
        return build(dir, false, Set.of());
    }

    /**
     * Same, for a restore given OPTIONS (what drivers ask {@link dev.jcr.resource.FileImages#option}
     * about), into a new PID namespace (IN_NEW_PID_NAMESPACE: the dumped pids are then free by
     * construction, whatever this host's processes use) or not.
     */
    public static RestorePlan build(Path dir, boolean inNewPidNamespace, Set<String> options) {
        return new PlanBuilder(ImageDir.open(dir), inNewPidNamespace ? null : Path.of("/proc"), DriverTable.standard(),
                options).build();
    }

    /** Same, with the pids looked up in PROCROOT (a test's empty directory: every pid free; null: not looked up). */
    static RestorePlan build(Path dir, Path procRoot) {
        return new PlanBuilder(ImageDir.open(dir), procRoot, DriverTable.standard(), Set.of()).build();
    }

    private RestorePlan build() {
        List<PstreeEntry> tree = dir.readAll(ImageKind.PSTREE, null, PstreeEntry.class);
        if (tree.isEmpty()) {
            throw bad(ImageKind.PSTREE, null, "holds no process");
        }
        files = new HashMap<>();
        for (FileEntry f : dir.readAll(ImageKind.FILES, null, FileEntry.class)) {
            if (files.put(f.getId(), f) != null) {
                throw bad(ImageKind.FILES, null, "file id " + f.getId() + " appears twice");
            }
        }
        images = new PlanImages(dir, files, options);
        List<PstreeEntry> ordered = order(tree);
        List<ProcessPlan> procs = new ArrayList<>();
        Set<Integer> filesIds = new HashSet<>();
        Set<Integer> vmIds = new HashSet<>();
        for (PstreeEntry e : ordered) {
            ProcessPlan p = process(e);
            if (p.zombie()) {
                procs.add(p);
                continue;
            }
            TaskKobjIdsEntry ids = ids(e.getPid(), p.core());
            if (!vmIds.add(ids.getVmId())) {
                throw unsupported(e.getPid(), "shares its address space with another process (vfork/CLONE_VM)");
            }
            if (!filesIds.add(ids.getFilesId())) {
                throw unsupported(e.getPid(), "shares its fd table with another process (CLONE_FILES)");
            }
            procs.add(p);
            images.addProcess(p.pid(), p.fds());
        }
        // every fd table is known before any driver checks its files (an epoll looks up its targets)
        for (ProcessPlan p : procs) {
            if (!p.zombie()) { // a zombie has no fds (nor ids image)
                checkFds(p.pid(), ids(p.pid(), p.core()).getFilesId(), p.fds());
            }
        }
        dev.jcr.resource.lock.FileLocks.check(images);
        Map<Long, SharedMemoryPlan> shmem = sharedMemory(procs);
        for (ProcessPlan p : procs) {
            if (p.zombie() && procs.stream().anyMatch(q -> q.pid() == p.ppid() && q.zombie())) {
                throw bad(ImageKind.PSTREE, null, "zombie " + p.pid() + " has a dead parent " + p.ppid()
                        + " (a dead process's children belong to init or a subreaper)");
            }
        }
        checkIdsFree(procs);
        return new RestorePlan(dir.path(), List.copyOf(procs), images.files(), images, Map.copyOf(shmem));
    }

    /**
     * Every shared anonymous memory object the processes map (vma shmid), sized to the furthest any of
     * them maps it, with its saved pages from pagemap-shmem-SHMID.img (absent: never written, all zero).
     */
    private Map<Long, SharedMemoryPlan> sharedMemory(List<ProcessPlan> procs) {
        Map<Long, Long> sizes = new LinkedHashMap<>();
        for (ProcessPlan p : procs) {
            for (VmaEntry v : p.mm().getVmasList()) {
                if (Vmas.is(v, Vmas.ANON_SHARED) && !Vmas.special(v)) {
                    sizes.merge(v.getShmid(), v.getPgoff() + Vmas.length(v), Math::max);
                }
            }
        }
        Map<Long, SharedMemoryPlan> out = new HashMap<>();
        for (Map.Entry<Long, Long> e : sizes.entrySet()) {
            String id = "shmem-" + e.getKey();
            out.put(e.getKey(), SharedMemoryPlan.read(e.getKey(), e.getValue(), dir.read(ImageKind.PAGEMAP, id),
                    dir.file(ImageKind.PAGEMAP, id), pagesId -> dir.file(ImageKind.PAGES, Integer.toUnsignedString(pagesId))));
        }
        return out;
    }

    /** Parents before children; the first entry is the root. */
    private List<PstreeEntry> order(List<PstreeEntry> tree) {
        Map<Integer, PstreeEntry> byPid = new LinkedHashMap<>();
        Set<Integer> tids = new HashSet<>();
        for (PstreeEntry e : tree) {
            if (e.getPid() <= 0 || byPid.put(e.getPid(), e) != null) {
                throw bad(ImageKind.PSTREE, null, "pid " + e.getPid() + " is invalid or appears twice");
            }
            if (!e.getThreadsList().isEmpty() && !e.getThreadsList().contains(e.getPid())) {
                throw bad(ImageKind.PSTREE, null, "process " + e.getPid() + " does not list its own main thread");
            }
            for (int t : e.getThreadsList()) {
                if (t <= 0 || !tids.add(t)) {
                    throw bad(ImageKind.PSTREE, null, "thread id " + t + " is invalid or appears twice");
                }
            }
        }
        PstreeEntry root = tree.get(0);
        if (byPid.containsKey(root.getPpid())) {
            throw bad(ImageKind.PSTREE, null, "the first process " + root.getPid() + " is not the root of the tree");
        }
        List<PstreeEntry> out = new ArrayList<>();
        Set<Integer> placed = new HashSet<>();
        out.add(root);
        placed.add(root.getPid());
        boolean progress = true;
        while (out.size() < tree.size() && progress) {
            progress = false;
            for (PstreeEntry e : tree) {
                if (!placed.contains(e.getPid()) && placed.contains(e.getPpid())) {
                    out.add(e);
                    placed.add(e.getPid());
                    progress = true;
                }
            }
        }
        if (out.size() < tree.size()) {
            for (PstreeEntry e : tree) {
                if (!placed.contains(e.getPid())) {
                    throw bad(ImageKind.PSTREE, null, "process " + e.getPid() + " has parent " + e.getPpid()
                            + ", which is not in the tree");
                }
            }
        }
        return out;
    }

    private ProcessPlan process(PstreeEntry e) {
        int pid = e.getPid();
        CoreEntry main = dir.readSingle(ImageKind.CORE, pid, CoreEntry.class);
        if (main.hasTc() && TaskStates.zombie(main.getTc().getTaskState())) {
            return zombie(e, main);
        }
        if (e.getThreadsList().isEmpty()) {
            throw bad(ImageKind.PSTREE, null, "process " + pid + " lists no threads but was not dead when dumped");
        }
        List<ThreadPlan> threads = new ArrayList<>();
        List<Integer> tids = new ArrayList<>(e.getThreadsList());
        tids.remove(Integer.valueOf(pid));
        tids.add(0, pid);
        for (int tid : tids) {
            CoreEntry core = tid == pid ? main : dir.readSingle(ImageKind.CORE, tid, CoreEntry.class);
            checkCore(tid, core, tid == pid);
            threads.add(new ThreadPlan(tid, core));
        }
        MmEntry mm = dir.readSingle(ImageKind.MM, pid, MmEntry.class);
        TaskKobjIdsEntry ids = ids(pid, threads.get(0).core());
        List<FdinfoEntry> fds = dir.readAll(ImageKind.FDINFO, ids.getFilesId(), FdinfoEntry.class);
        FsEntry fs = dir.readSingle(ImageKind.FS, pid, FsEntry.class);
        checkFs(pid, fs);
        checkVmas(pid, mm);
        checkExe(pid, mm);
        checkCreds(pid, threads);
        checkSignalsAndTimers(pid, threads);
        // the pages through the chain of parent images (incremental dumps), every link checked here
        PageChain memory = PageChain.open(dir.path(), pid);
        for (PageChain.Source r : memory.sources()) {
            checkCovered(pid, mm, r.vaddr(), r.end());
        }
        return new ProcessPlan(pid, e.getPpid(), e.getPgid(), e.getSid(), List.copyOf(threads), mm, fds, fs,
                memory, memory.pages());
    }

    /**
     * A zombie (task_state TASK_DEAD): only its place in the tree, name and exit status are left. It
     * cannot be the root (nothing would run) and has no threads besides itself, no memory, no files.
     */
    private ProcessPlan zombie(PstreeEntry e, CoreEntry core) {
        int pid = e.getPid();
        if (core.getMtype() != CoreEntry.March.X86_64) {
            throw new BadImageException(dir.file(ImageKind.CORE, pid).toString(), -1, "is not an x86_64 task ("
                    + core.getMtype() + ")");
        }
        if (e.getPpid() == 0 || e.getThreadsList().size() > 1) {
            throw unsupported(pid, "is a zombie " + (e.getPpid() == 0 ? "at the root of the tree (nothing would run)"
                    : "with threads listed in pstree.img"));
        }
        int status = core.getTc().getExitCode();
        if ((status & 0x7f) == 0x7f || (status & 0x7f) != 0 && (status & 0xff00) != 0) {
            throw new BadImageException(dir.file(ImageKind.CORE, pid).toString(), -1, "zombie " + pid
                    + " has exit status 0x" + Integer.toHexString(status) + ", which no exit or signal gives");
        }
        return new ProcessPlan(pid, e.getPpid(), e.getPgid(), e.getSid(), List.of(new ThreadPlan(pid, core)),
                MmEntry.getDefaultInstance(), List.of(), FsEntry.getDefaultInstance(), PageChain.none(pid), 0);
    }

    private TaskKobjIdsEntry ids(int pid, CoreEntry core) {
        if (dir.has(ImageKind.IDS, pid)) {
            return dir.readSingle(ImageKind.IDS, pid, TaskKobjIdsEntry.class);
        }
        if (core.hasIds()) {
            return core.getIds();
        }
        throw bad(ImageKind.IDS, pid, "missing, and core-" + pid + ".img carries no ids either");
    }

    private void checkCore(int tid, CoreEntry core, boolean main) {
        Path f = dir.file(ImageKind.CORE, tid);
        if (core.getMtype() != CoreEntry.March.X86_64 || !core.hasThreadInfo()) {
            throw new BadImageException(f.toString(), -1, "is not an x86_64 thread (" + core.getMtype() + ")");
        }
        if (core.getThreadInfo().getGpregs().getMode() != UserX86RegsMode.NATIVE) {
            throw unsupported(tid, "is a 32-bit (compat) task");
        }
        if (main && !core.hasTc()) {
            throw new BadImageException(f.toString(), -1, "main thread without task_core (tc)");
        }
        if (main && (core.getTc().getMembarrierRegistrationMask() & ~LateState.MEMBARRIER_REGISTRATIONS) != 0) {
            throw new BadImageException(f.toString(), -1, "membarrier registrations 0x"
                    + Integer.toHexString(core.getTc().getMembarrierRegistrationMask()) + " hold no registration command");
        }
        if (main && !TaskStates.restorable(core.getTc().getTaskState())) {
            throw unsupported(tid, "was in task_state " + core.getTc().getTaskState() + " when dumped; restore"
                    + " recreates running (1), stopped (3) and dead (zombie: 2, 6) tasks");
        }
    }

    private void checkFs(int pid, FsEntry fs) {
        FileEntry root = file(pid, fs.getRootId(), "root directory");
        if (!root.hasReg() || !"/".equals(root.getReg().getName())) {
            throw unsupported(pid, "has a root directory other than / (chroot is not supported)");
        }
        FileEntry cwd = file(pid, fs.getCwdId(), "working directory");
        if (!cwd.hasReg()) {
            throw bad(ImageKind.FS, pid, "cwd_id " + fs.getCwdId() + " is not a path");
        }
        Path cwdPath = path(cwd, "working directory of process " + pid);
        if (deleted(cwd)) {
            requireGhostDirectory(pid, cwd, "working directory:"); // removed: recreated in its parent
        } else if (!Files.isDirectory(cwdPath)) {
            throw new RestoreException(Kind.CONFLICT, "process " + pid + ": working directory "
                    + Quote.of(cwd.getReg().getName()) + " no longer exists");
        }
    }

    private void checkExe(int pid, MmEntry mm) {
        FileEntry exe = file(pid, mm.getExeFileId(), "executable");
        if (!exe.hasReg()) {
            throw bad(ImageKind.MM, pid, "exe_file_id " + mm.getExeFileId() + " is not a regular file");
        }
        requireSameFile(pid, exe, "executable");
    }

    private void checkVmas(int pid, MmEntry mm) {
        long prevEnd = 0;
        boolean vdso = false;
        for (VmaEntry v : mm.getVmasList()) {
            if (Long.compareUnsigned(v.getStart(), v.getEnd()) >= 0 || (v.getStart() & 4095) != 0
                    || (v.getEnd() & 4095) != 0) {
                throw bad(ImageKind.MM, pid, Vmas.describe(v) + " is empty or not page aligned");
            }
            if (Long.compareUnsigned(v.getStart(), prevEnd) < 0) {
                throw bad(ImageKind.MM, pid, Vmas.describe(v) + " overlaps the previous VMA or is out of order");
            }
            prevEnd = v.getEnd();
            if ((v.getMadv() & ~KNOWN_ADVICE) != 0) {
                throw bad(ImageKind.MM, pid, Vmas.describe(v) + " carries madvise advice 0x" + Long.toHexString(v.getMadv())
                        + ", beyond what a mapping keeps (0x" + Long.toHexString(KNOWN_ADVICE) + ")");
            }
            if (Vmas.is(v, Vmas.VDSO)) {
                vdso = true;
            }
            if (Vmas.special(v)) {
                continue;
            }
            if (!Vmas.is(v, Vmas.REGULAR) || Vmas.is(v, Vmas.UNSUPP)) {
                throw unsupported(pid, Vmas.describe(v) + " is of a kind jcr cannot map (status 0x"
                        + Integer.toHexString(v.getStatus()) + ")");
            }
            if (Vmas.is(v, Vmas.SYSVIPC) || Vmas.is(v, Vmas.SOCKET) || Vmas.is(v, Vmas.AIORING)) {
                throw unsupported(pid, Vmas.describe(v) + ": SysV, socket and AIO mappings are not supported yet");
            }
            if (Vmas.is(v, Vmas.MEMFD)) {
                // a description of a memfd, which its driver recreates (and checks, as it does for fds)
                FileEntry f = file(pid, (int) v.getShmid(), "memfd of " + Vmas.describe(v));
                if (f.getType() != FdTypes.MEMFD || !Vmas.fileBacked(v)) {
                    throw bad(ImageKind.MM, pid, Vmas.describe(v) + " is a memfd mapping of file " + v.getShmid() + ", a "
                            + f.getType() + (Vmas.fileBacked(v) ? "" : ", without VMA_FILE_SHARED or VMA_FILE_PRIVATE"));
                }
                drivers.forFile(f, images).orElseThrow(() -> unsupported(pid, Vmas.describe(v)
                        + " maps a memfd, which restore does not support")).check(f, FdUse.mapping(pid), images);
                continue;
            }
            if (Vmas.is(v, Vmas.ANON_SHARED)) {
                if ((v.getFlags() & Vmas.MAP_SHARED) == 0 || v.getPgoff() < 0 || v.getPgoff() % 4096 != 0) {
                    throw bad(ImageKind.MM, pid, Vmas.describe(v) + " is shared anonymous memory without MAP_SHARED"
                            + " or at an unaligned offset");
                }
                continue;
            }
            if (Vmas.fileBacked(v)) {
                FileEntry f = file(pid, (int) v.getShmid(), "file of " + Vmas.describe(v));
                if (!f.hasReg()) {
                    throw unsupported(pid, Vmas.describe(v) + " maps a " + f.getType() + " file, not a regular one");
                }
                if (deleted(f)) {
                    requireGhostDirectory(pid, f, "file mapped at " + Vmas.describe(v) + ":");
                } else {
                    requireSameFile(pid, f, "file mapped at " + Vmas.describe(v));
                }
            } else if (!Vmas.is(v, Vmas.ANON_PRIVATE)) {
                throw unsupported(pid, Vmas.describe(v) + " is neither anonymous nor file-backed (status 0x"
                        + Integer.toHexString(v.getStatus()) + ")");
            }
        }
        if (!vdso) {
            throw unsupported(pid, "has no [vdso] mapping (a dump from another kernel or a vdso-less process)");
        }
    }

    private void checkCovered(int pid, MmEntry mm, long addr, long end) {
        for (VmaEntry v : mm.getVmasList()) {
            if (Long.compareUnsigned(v.getEnd(), addr) <= 0) {
                continue;
            }
            if (Long.compareUnsigned(v.getStart(), addr) > 0) {
                break;
            }
            if (Vmas.is(v, Vmas.FILE_SHARED)) {
                throw bad(ImageKind.PAGEMAP, pid, String.format("pages at 0x%x belong to a shared file mapping", addr));
            }
            addr = v.getEnd();
            if (Long.compareUnsigned(addr, end) >= 0) {
                return;
            }
        }
        throw bad(ImageKind.PAGEMAP, pid, String.format("pages at 0x%x-0x%x lie outside every VMA of mm-%d.img",
                addr, end, pid));
    }

    /** Every fd names a files.img entry of its type, which a driver claims and finds restorable (its {@code check}). */
    private void checkFds(int pid, int filesId, List<FdinfoEntry> fds) {
        Set<Integer> seen = new HashSet<>();
        for (FdinfoEntry fd : fds) {
            if (!seen.add(fd.getFd())) {
                throw bad(ImageKind.FDINFO, filesId, "fd " + fd.getFd() + " of process " + pid + " appears twice");
            }
            FileEntry f = file(pid, fd.getId(), "fd " + fd.getFd());
            if (f.getType() != fd.getType()) {
                throw bad(ImageKind.FILES, null, "file " + fd.getId() + " is a " + f.getType() + " but fd "
                        + fd.getFd() + " of process " + pid + " says " + fd.getType());
            }
            FdUse use = new FdUse(pid, fd.getFd());
            FileDriver d = drivers.forFile(f, images).orElseThrow(() -> unsupported(pid, "fd " + fd.getFd() + " is a "
                    + fd.getType() + " file, which restore does not support yet"));
            d.check(f, use, images);
        }
    }

    /** Pending signals (private and shared) well formed; POSIX timers with unique ids signalling own threads. */
    private void checkSignalsAndTimers(int pid, List<ThreadPlan> threads) {
        for (ThreadPlan t : threads) {
            if (t.core().hasThreadCore() && t.core().getThreadCore().hasSignalsP()) {
                String problem = PendingSignals.check(t.core().getThreadCore().getSignalsP());
                if (problem != null) {
                    throw new BadImageException(dir.file(ImageKind.CORE, t.tid()).toString(), -1, "thread " + t.tid()
                            + " has " + problem);
                }
            }
        }
        var tc = threads.get(0).core().getTc();
        String problem = tc.hasSignalsS() ? PendingSignals.check(tc.getSignalsS()) : null;
        if (problem == null && tc.hasTimers()) {
            Set<Integer> tids = new HashSet<>();
            threads.forEach(t -> tids.add(t.tid()));
            problem = PosixTimers.check(tc.getTimers().getPosixList(), tids);
        }
        if (problem != null) {
            throw new BadImageException(dir.file(ImageKind.CORE, pid).toString(), -1, "process " + pid + ": " + problem);
        }
    }

    private void checkCreds(int pid, List<ThreadPlan> threads) {
        int uid = Self.uid();
        int gid = Self.gid();
        if (uid == 0) {
            return; // root sets any ids (Credentials); a caller without CAP_SETUID/CAP_SETGID gives only its own
        }
        for (ThreadPlan t : threads) {
            if (!t.core().hasThreadCore() || !t.core().getThreadCore().hasCreds()) {
                continue;
            }
            var c = t.core().getThreadCore().getCreds();
            if (c.getUid() != uid || c.getEuid() != uid || c.getGid() != gid || c.getEgid() != gid) {
                throw unsupported(pid, "thread " + t.tid() + " ran as uid " + c.getUid() + "/gid " + c.getGid()
                        + ", jcr runs as " + uid + "/" + gid + ": only root restores other ids");
            }
        }
    }

    /** Deleted when dumped: saved as a ghost file, which the deleted-file driver recreates. */
    private boolean deleted(FileEntry f) {
        return drivers.forFile(f, images).filter(d -> d.kind() == dev.jcr.resource.ResourceKind.DELETED_FILE).isPresent();
    }

    /** A deleted file is recreated (and unlinked at once) in its old directory, which must still exist. */
    private void requireGhostDirectory(int pid, FileEntry f, String what) {
        Path parent = path(f, what).getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new RestoreException(Kind.CONFLICT, "process " + pid + " " + what + " deleted file "
                    + Quote.of(f.getReg().getName()) + " is recreated in its directory, which no longer exists");
        }
    }

    private void requireSameFile(int pid, FileEntry f, String what) {
        Path p = path(f, what);
        String name = Quote.of(f.getReg().getName());
        if (!Files.exists(p)) {
            throw new RestoreException(Kind.CONFLICT, "process " + pid + ": " + what + " " + name + " no longer exists");
        }
        if (f.getReg().hasSize()) {
            try {
                long size = Files.size(p);
                if (size != f.getReg().getSize()) {
                    throw new RestoreException(Kind.CONFLICT, "process " + pid + ": " + what + " " + name
                            + " changed size since the dump (" + f.getReg().getSize() + " bytes then, " + size + " now)");
                }
            } catch (IOException e) {
                throw new RestoreException(Kind.IO, "process " + pid + ": cannot stat " + name + ": " + dev.jcr.image.ImageIoException.why(p, e));
            }
        }
    }

    /** The name of regular file F as a path; a NUL byte or a relative name is a bad files.img. */
    private Path path(FileEntry f, String what) {
        return ImagePath.of(f.getReg().getName(), dir.file(ImageKind.FILES, null), "reg.name of file " + f.getId() + " (" + what + ")");
    }

    private FileEntry file(int pid, int id, String what) {
        FileEntry f = files.get(id);
        if (f == null) {
            throw bad(ImageKind.FILES, null, "has no file " + id + " (" + what + " of process " + pid + ")");
        }
        return f;
    }

    private void checkIdsFree(List<ProcessPlan> procs) {
        if (procRoot == null) {
            return; // a new PID namespace: every pid is free there
        }
        dev.jcr.proc.ProcFs fs = new dev.jcr.proc.ProcFs(procRoot);
        for (ProcessPlan p : procs) {
            for (ThreadPlan t : p.threads()) {
                java.util.Optional<String> holder = dev.jcr.proc.PidHolder.of(fs, t.tid());
                if (holder.isPresent()) {
                    throw new RestoreException(Kind.CONFLICT, "PID " + t.tid() + " (" + (t.tid() == p.pid()
                            ? "process " + Quote.of(p.comm()) : "a thread of " + p.pid()) + ") is in use: " + holder.get()
                            + "; a restore needs every original pid free");
                }
            }
        }
    }

    private BadImageException bad(ImageKind kind, Object id, String problem) {
        return new BadImageException(dir.file(kind, id).toString(), -1, problem);
    }

    private static RestoreException unsupported(int pid, String why) {
        return new RestoreException(Kind.UNSUPPORTED, "cannot restore process " + pid + ": " + why);
    }
}
