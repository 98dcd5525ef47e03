package dev.jcr.dump;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.SocketTable;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.proc.Vma;
import dev.jcr.ptrace.FrozenTree.FrozenProcess;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.DumpContext;
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
    private final boolean shellJob;
    private final Map<Integer, RemoteSyscalls> sessions = new LinkedHashMap<>();
    private final Map<Integer, CoreEntry.Builder> cores = new LinkedHashMap<>();
    private final TaskCoreEntry.Builder task = TaskCoreEntry.newBuilder();
    final List<FdinfoEntry> fdinfos = new ArrayList<>();
    final List<VmaEntry> vmas = new ArrayList<>();
    final List<PageSelection> selections = new ArrayList<>();
    ProcessInfo info;

    ProcessDump(FrozenProcess frozen, ProcFs fs, Tracer tracer, ImageSet images, DriverTable drivers, boolean shellJob) {
        this.frozen = frozen;
        this.fs = fs;
        this.tracer = tracer;
        this.images = images;
        this.drivers = drivers;
        this.shellJob = shellJob;
        for (int tid : frozen.threads()) {
            cores.put(tid, CoreEntry.newBuilder().setMtype(CoreEntry.March.X86_64));
        }
    }

    FrozenProcess frozen() {
        return frozen;
    }

    Map<Integer, CoreEntry.Builder> cores() {
        return cores;
    }

    /** Runs every driver over the process's threads, fds, memory areas and signal state. */
    void collect(SocketTable sockets) {
        int pid = frozen.pid();
        info = fs.process(pid);
        // memory areas first: remote sessions map a scratch page, which must not be taken for the process's own
        for (Vma v : fs.maps(pid)) {
            dump(ResourceKind.MEMORY_MAPPING, Vma.class, v);
        }
        for (ThreadInfo t : fs.threads(pid)) {
            if (!cores.containsKey((int) t.tid())) {
                throw new NotDumpableException(pid, "thread " + t.tid(), "appeared after the tree was frozen");
            }
            dump(ResourceKind.THREAD, ThreadInfo.class, t);
        }
        for (OpenFd fd : fs.fds(pid, sockets)) {
            dump(ResourceKind.of(fd.kind()), OpenFd.class, fd);
        }
        dump(ResourceKind.SIGNAL_STATE, ProcessInfo.class, info);
    }

    private <R> void dump(ResourceKind kind, Class<R> type, R resource) {
        ResourceDriver<R> d = drivers.get(kind, type).orElseThrow(() -> new NotDumpableException(frozen.pid(),
                kind.words(), kind.words() + ": not supported yet"));
        Assessment a = d.assess(resource);
        if (a.verdict() == Verdict.UNSUPPORTED
                || (a.verdict() == Verdict.NEEDS_OPTION && !(shellJob && a.option().equals(dev.jcr.resource.Options.SHELL_JOB)))) {
            throw new NotDumpableException(frozen.pid(), a.resource(), a.reason()
                    + (a.option() != null ? " (needs " + a.option() + ")" : ""));
        }
        d.dump(resource, this);
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
        int id = images.descriptionId(frozen.pid(), fd, entry);
        fdinfos.add(FdinfoEntry.newBuilder().setId(id).setFlags((fd.flags() & OpenFd.O_CLOEXEC) != 0 ? 1 : 0)
                .setType(type).setFd(fd.fd()).build());
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
        return shellJob;
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
