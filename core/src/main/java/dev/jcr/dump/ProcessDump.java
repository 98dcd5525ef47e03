package dev.jcr.dump;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.proc.FileLock;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.proc.Vma;
import dev.jcr.ptrace.FrozenTree.FrozenProcess;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileOwners;
import dev.jcr.sys.FileCalls;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.PageSelection;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The state of one frozen process, gathered by asking each resource's driver to dump it (after
 * asking it once more, on the frozen state, whether it can: something may have changed since the
 * check). Holds the process's answers until the engine writes them; owns the remote-syscall
 * sessions opened in its threads and closes them in {@link #close()}.
 */
final class ProcessDump implements DumpContext, AutoCloseable {

    private final FrozenProcess frozen;
    private final ProcFs fs;
    private final Tracer tracer;
    private final ImageSet images;
    private final DriverTable drivers;
    private final dev.jcr.resource.Analyzer analyzer;
    private final DumpOptions options;
    private final DumpScope scope;
    private int pidfd = -1;
    private final Map<Integer, RemoteSyscalls> sessions = new LinkedHashMap<>();
    private final Map<Integer, CoreEntry.Builder> cores = new LinkedHashMap<>();
    private final TaskCoreEntry.Builder task = TaskCoreEntry.newBuilder();
    final List<FdinfoEntry> fdinfos = new ArrayList<>();
    final List<VmaEntry> vmas = new ArrayList<>();
    final List<PageSelection> selections = new ArrayList<>();
    ProcessInfo info;
    private java.util.concurrent.CompletableFuture<Map<Long, Long>> madvise;

    ProcessDump(FrozenProcess frozen, ProcFs fs, Tracer tracer, ImageSet images, DriverTable drivers,
            dev.jcr.resource.Analyzer analyzer, DumpOptions options, DumpScope scope) {
        this.frozen = frozen;
        this.fs = fs;
        this.tracer = tracer;
        this.images = images;
        this.drivers = drivers;
        this.analyzer = analyzer;
        this.options = options;
        this.scope = scope;
        for (int tid : frozen.threads()) {
            cores.put(tid, CoreEntry.newBuilder().setMtype(CoreEntry.March.X86_64));
        }
    }

    /** The madvise advice of each mapping (smaps' VmFlags), by start address, as {@link #collect} read it. */
    Map<Long, Long> madvise() {
        if (madvise == null) {
            return fs.madvise(frozen.pid());
        }
        try {
            return madvise.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    FrozenProcess frozen() {
        return frozen;
    }

    Map<Integer, CoreEntry.Builder> cores() {
        return cores;
    }

    /**
     * Runs every driver over the process's threads, fds (as the dump's tree view read them, judged
     * alone and inside the tree), memory areas and signal state.
     */
    void collect() {
        int pid = frozen.pid();
        info = fs.process(pid);
        // memory areas first: remote sessions map a scratch page, which must not be taken for the process's own
        for (Vma v : fs.maps(pid)) {
            dump(ResourceKind.MEMORY_MAPPING, Vma.class, v);
        }
        // smaps makes the kernel count every page of every mapping (about 4 ms per GiB) for the one
        // line jcr wants of each (VmFlags): read on another thread while this one talks to the threads
        madvise = java.util.concurrent.CompletableFuture.supplyAsync(() -> fs.madvise(pid));
        for (ThreadInfo t : fs.threads(pid)) {
            if (!cores.containsKey((int) t.tid())) {
                throw new NotDumpableException(pid, "thread " + t.tid(), "appeared after the tree was frozen");
            }
            dump(ResourceKind.THREAD, ThreadInfo.class, t);
        }
        for (OpenFd fd : scope.tree().fds(pid)) {
            dumpFd(fd);
        }
        // after every fd: a lock is recorded with its holder's fd, and its description's id
        for (OpenFd fd : scope.tree().fds(pid)) {
            for (FileLock l : fd.locks()) {
                dump(ResourceKind.FILE_LOCK, FileLock.class, l);
            }
        }
        dump(ResourceKind.SIGNAL_STATE, ProcessInfo.class, info);
    }

    /** A pre-dump's share: the memory areas alone (what the memory driver records), nothing else. */
    void collectMemory() {
        info = fs.process(frozen.pid());
        for (Vma v : fs.maps(frozen.pid())) {
            dump(ResourceKind.MEMORY_MAPPING, Vma.class, v);
        }
    }

    private <R> void dump(ResourceKind kind, Class<R> type, R resource) {
        ResourceDriver<R> d = driver(kind, type);
        allowed(d.assess(resource));
        d.dump(resource, this);
    }

    /** An fd is judged alone and inside the tree, as the check judged it. */
    private void dumpFd(OpenFd fd) {
        ResourceDriver<OpenFd> d = driver(ResourceKind.of(fd.kind()), OpenFd.class);
        allowed(analyzer.inTree(frozen.pid(), fd, d.assess(fd), scope.tree()));
        d.dump(fd, this);
    }

    private <R> ResourceDriver<R> driver(ResourceKind kind, Class<R> type) {
        return drivers.get(kind, type).orElseThrow(() -> new NotDumpableException(frozen.pid(),
                kind.words(), kind.words() + ": not supported yet"));
    }

    private void allowed(Assessment a) {
        if (a.verdict() == Verdict.UNSUPPORTED
                || (a.verdict() == Verdict.NEEDS_OPTION && !options.given().contains(a.option()))) {
            throw new NotDumpableException(frozen.pid(), a.resource(), a.reason()
                    + (a.option() != null ? " (needs " + a.option() + ")" : ""));
        }
    }

    // ---------------------------------------------------------------- DumpContext

    @Override
    public int pid() {
        return frozen.pid();
    }

    @Override
    public ProcFs proc() {
        return fs;
    }

    @Override
    public Tracer tracer() {
        return tracer;
    }

    @Override
    public RemoteSyscalls remote(int tid) {
        if (!cores.containsKey(tid)) {
            throw new IllegalArgumentException("thread " + tid + " is not part of process " + frozen.pid());
        }
        return sessions.computeIfAbsent(tid, tracer::remote);
    }

    @Override
    public Path fdPath(int fd) {
        return fs.dir(frozen.pid()).resolve("fd").resolve(Integer.toString(fd));
    }

    @Override
    public void addFd(OpenFd fd, FdTypes type, IntFunction<FileEntry> entry) {
        int id = images.descriptionId(frozen.pid(), fd, fid -> withOwner(entry.apply(fid), fd));
        fdinfos.add(FdinfoEntry.newBuilder().setId(id).setFlags((fd.flags() & OpenFd.O_CLOEXEC) != 0 ? 1 : 0)
                .setType(type).setFd(fd.fd()).build());
    }

    /** FILE with the F_SETOWN owner of FD's description in its fown field, when it has one. */
    private FileEntry withOwner(FileEntry file, OpenFd fd) {
        FileCalls.Owner o = owner(fd);
        return o == null ? file : FileOwners.withOwner(file, o);
    }

    /**
     * An owner outside the dumped tree can only get here where it does nothing (no O_ASYNC, no lease:
     * the check refuses those), and it would be some other process after the restore: it is left out,
     * its signal number kept.
     */
    @Override
    public FileCalls.Owner owner(OpenFd fd) {
        FileCalls.Owner o = fd.owner() != null ? fd.owner() : fs.owner(frozen.pid(), fd.fd());
        if (o != null && o.pid() != 0 && !scope.tree().contains(FileOwners.process(o, fs))) {
            o = new FileCalls.Owner(0, 0, 0, 0, o.signum());
        }
        return o == null || o.none() ? null : o;
    }

    @Override
    public int fileIdOf(int fd) {
        for (FdinfoEntry e : fdinfos) {
            if (e.getFd() == fd) {
                return e.getId();
            }
        }
        throw new IllegalStateException("fd " + fd + " of process " + frozen.pid() + " was not dumped");
    }

    @Override
    public int fileId(Object key, IntFunction<FileEntry> entry) {
        return images.keyedId(key, entry);
    }

    @Override
    public int addFile(IntFunction<FileEntry> entry) {
        return images.addFile(entry);
    }

    @Override
    public boolean firstTime(Object key) {
        return images.firstTime(key);
    }

    @Override
    public void addEntry(ImageKind kind, Object id, com.google.protobuf.Message entry, byte[] extra) {
        images.addEntry(kind, id, entry, extra);
    }

    @Override
    public int addGhostFile(int fileId, GhostFileEntry entry, Path content, long size) {
        return images.addGhostFile(fileId, entry, content, size);
    }

    @Override
    public void addSharedMemory(long shmid, Path object) {
        if (options.preDump()) {
            return; // copied whole by the final dump: its pages are shared with processes a tracker cannot follow
        }
        images.addSharedMemory(frozen.pid(), shmid, object);
    }

    @Override
    public void addVma(VmaEntry vma, PageSelection pages) {
        vmas.add(vma);
        selections.add(pages);
    }

    @Override
    public CoreEntry.Builder threadCore(int tid) {
        CoreEntry.Builder b = cores.get(tid);
        if (b == null) {
            throw new IllegalArgumentException("thread " + tid + " is not part of process " + frozen.pid());
        }
        return b;
    }

    @Override
    public TaskCoreEntry.Builder taskCore() {
        return task;
    }

    @Override
    public boolean shellJob() {
        return options.shellJob();
    }

    @Override
    public boolean option(String option) {
        return options.given().contains(option);
    }

    @Override
    public boolean killAfter() {
        return options.kill();
    }

    @Override
    public dev.jcr.resource.TreeView tree() {
        return scope.tree();
    }

    @Override
    public int localFd(int fd) {
        if (pidfd < 0) {
            pidfd = scope.keep(dev.jcr.sys.Linux.pidfdOpen(frozen.pid()));
        }
        return scope.keep(dev.jcr.sys.Linux.pidfdGetfd(pidfd, fd, frozen.pid()));
    }

    @Override
    public <T> T shared(Object key, java.util.function.Supplier<T> make) {
        return scope.shared(key, make);
    }

    @Override
    public void atEnd(Object key, Runnable action) {
        scope.atEnd(key, action);
    }

    @Override
    public void onFailure(Runnable undo) {
        scope.onFailure(undo);
    }

    @Override
    public void beforeRelease(Runnable action) {
        scope.beforeRelease(action);
    }

    /** Closes the remote sessions: every thread gets its registers back and sits in its interrupt stop. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (RemoteSyscalls s : sessions.values()) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        sessions.clear();
        if (first != null) {
            throw first;
        }
    }
}
