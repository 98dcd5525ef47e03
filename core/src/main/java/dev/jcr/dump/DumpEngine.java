package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.DumpStatsEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.image.proto.Lsmtype;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.SeccompEntry;
import dev.jcr.image.proto.StatsEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.image.proto.TimensEntry;
import dev.jcr.image.proto.Timespec;
import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.SocketTable;
import dev.jcr.ptrace.FrozenTree;
import dev.jcr.ptrace.FrozenTree.FrozenProcess;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.Options;
import dev.jcr.resource.Self;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checkpoints a live process tree into a CRIU-format image directory, from outside.
 *
 * <pre>{@code
 * DumpResult r = new DumpEngine().dump(pid, DumpOptions.to(Path.of("/tmp/img")), listener);
 * }</pre>
 *
 * <p>Steps: ask the drivers about every resource of the tree and refuse before touching anything if
 * one is not supported ({@link UnsupportedTreeException}); create the image directory under a
 * temporary name; freeze the tree (every thread, repeated until stable); let each resource's driver
 * dump it (asking it again first, on the frozen state); copy memory pages; write the shared images;
 * sync and rename the directory into place; release (or kill) the tree. Any failure before the rename
 * throws the temporary directory away and lets the tree go on unharmed. If jcr itself dies, the
 * kernel detaches the tree and only a hidden temporary directory remains, never a complete-looking one.
 */
public final class DumpEngine {

    private final ProcFs fs;
    private final DriverTable drivers;
    private final TreeCheck treeCheck;
    private final Analyzer analyzer;

    public DumpEngine() {
        this(ProcFs.system(), DriverTable.standard());
    }

    public DumpEngine(ProcFs fs, DriverTable drivers) {
        this.fs = fs;
        this.drivers = drivers;
        this.analyzer = new Analyzer(fs, drivers, Self.of(fs));
        this.treeCheck = new TreeCheck(fs, analyzer);
    }

    /** Dumps the tree rooted at PID. Never leaves the tree stopped or a partial directory behind. */
    public DumpResult dump(int pid, DumpOptions options, DumpListener listener) {
        long t0 = System.nanoTime();
        listener.phase(DumpPhase.CHECKING);
        check(pid, options);
        ImageDirWriter dir = ImageDirWriter.create(options.directory());
        warmUp();
        try (Tracer tracer = Tracer.start()) {
            listener.phase(DumpPhase.FREEZING);
            long tFreeze = System.nanoTime();
            FrozenTree tree = tracer.seizeTree(pid);
            long tFrozen = System.nanoTime();
            Run run = new Run(tree, tracer, dir, options, listener);
            long tReleased;
            try {
                run.dumpAll();
                run.writeStats(tFrozen - tFreeze, tFrozen, t0);
                if (!options.kill()) {
                    // every byte is in the page cache: the tree may run on while the images are synced
                    listener.phase(DumpPhase.RESUMING);
                    run.release();
                    tracer.close();
                }
                tReleased = System.nanoTime();
                listener.phase(DumpPhase.COMMITTING);
                run.writeDeferred();
                dir.commit();
                if (options.kill()) {
                    run.release();
                }
            } catch (RuntimeException | Error e) {
                run.failed();
                dir.abort();
                throw e;
            } finally {
                run.close();
            }
            if (options.kill()) {
                listener.phase(DumpPhase.RESUMING);
                for (FrozenProcess p : tree.processes()) {
                    try {
                        Linux.kill(p.pid(), 9);
                    } catch (JcrException gone) {
                        // already gone
                    }
                }
                tracer.close();
                tReleased = System.nanoTime();
            }
            long tEnd = System.nanoTime();
            DumpStats s = run.stats(tFrozen - tFreeze, tReleased - tFrozen, tEnd - t0, imageBytes(dir.target()));
            // a restore right after --kill must find every pid free: wait (not counted above) until the
            // killed processes are reaped
            List<String> warnings = options.kill()
                    ? KilledTree.awaitFree(fs, tree.allIds(), options.reapWait()) : List.of();
            listener.phase(DumpPhase.DONE);
            List<Integer> pids = tree.processes().stream().map(FrozenProcess::pid).toList();
            return new DumpResult(dir.target(), pid, pids, tree.allThreads().size(), options.kill(), s, warnings);
        } finally {
            dir.abort(); // no-op once committed
        }
    }

    /**
     * Refuses, before anything is touched, a tree with resources the drivers do not support, a process
     * traced by another, or one jcr may not read (the exception's kind says which came first).
     */
    private void check(int pid, DumpOptions options) {
        TreeReport r = check(pid, options.given());
        if (!r.checkpointable()) {
            throw new UnsupportedTreeException(r);
        }
    }

    /**
     * What the drivers say about the tree rooted at PID with OPTIONS given (e.g. {@link Options#SHELL_JOB}):
     * the answer {@code jcr check} shows; {@link #dump} goes ahead exactly when it has no blockers.
     *
     * @throws dev.jcr.proc.ProcessGoneException if PID does not exist
     * @throws dev.jcr.proc.ProcAccessException if jcr may not read PID
     */
    public TreeReport check(int pid, Set<String> options) {
        return treeCheck.check(pid, options);
    }

    /**
     * What stands in the way of dumping the tree rooted at PID with OPTIONS, one sentence each
     * ("pid 1234 (comm): fd 7: …"); empty when {@link #dump} would go ahead.
     */
    public List<String> blockers(int pid, DumpOptions options) {
        return check(pid, options.given()).messages();
    }

    /**
     * Initialises the image classes before the tree is frozen: in a fresh JVM, loading the protobuf
     * descriptors takes longer than dumping a small process, and that time would count as frozen.
     */
    private static void warmUp() {
        for (ImageKind k : ImageKind.values()) {
            k.typeOf(0);
            k.typeOf(1);
        }
        CoreEntry.newBuilder().setMtype(CoreEntry.March.X86_64).buildPartial().toByteArray();
        dev.jcr.image.proto.MmEntry.newBuilder().buildPartial().toByteArray();
        dev.jcr.image.proto.FileEntry.newBuilder().buildPartial().toByteArray();
    }

    private static long imageBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** One dump of one frozen tree. */
    private final class Run {
        /** CLOCK_BOOTTIME (µs) when the frozen state was read. */
        private long stateUptimeMicros;
        private final FrozenTree tree;
        private final Tracer tracer;
        private final ImageDirWriter dir;
        private final DumpOptions options;
        private final DumpListener listener;
        private final ImageSet images;
        private final DeferredImages later = new DeferredImages();
        private final KobjIds ids;
        private final List<MemoryDump> memory = new ArrayList<>();
        private DumpScope scope;
        private long memdumpNanos;
        private long memwriteNanos;
        private long pagesScanned;
        private long pagesWritten;

        Run(FrozenTree tree, Tracer tracer, ImageDirWriter dir, DumpOptions options, DumpListener listener) {
            this.tree = tree;
            this.tracer = tracer;
            this.dir = dir;
            this.options = options;
            this.listener = listener;
            this.images = new ImageSet(dir, later);
            this.ids = new KobjIds(fs.namespaces(fs.selfPid()));
        }

        void dumpAll() {
            listener.phase(DumpPhase.STATE);
            List<PstreeEntry> pstree = new ArrayList<>();
            Map<Integer, List<dev.jcr.image.proto.FdinfoEntry>> fdinfos = new java.util.LinkedHashMap<>();
            int pagesId = 1;
            // the instant the state is read (timers' remaining times are relative to it): dump_uptime
            stateUptimeMicros = uptimeMicros();
            for (FrozenProcess fp : tree.processes()) {
                if (fp.zombie() && fp.pid() == tree.root()) {
                    throw new dev.jcr.resource.NotDumpableException(fp.pid(), "process",
                            "zombie: has exited and waits for its parent to reap it");
                }
            }
            scope = new DumpScope(treeView());
            for (FrozenProcess fp : tree.processes()) {
                if (fp.zombie()) {
                    // as CRIU: its place in the tree, its exit status and name, nothing else is left
                    pstree.add(PstreeEntry.newBuilder().setPid(fp.pid()).setPpid(fp.ppid()).setPgid(fp.pgid())
                            .setSid(fp.sid()).addThreads(fp.pid()).build());
                    later.single(ImageKind.CORE, fp.pid(), TaskImages.zombie(fs, fp.pid()));
                    continue;
                }
                pstree.add(PstreeEntry.newBuilder().setPid(fp.pid()).setPpid(fp.pid() == tree.root() ? 0 : fp.ppid())
                        .setPgid(fp.pgid()).setSid(fp.sid()).addAllThreads(fp.threads()).build());
                ProcessDump p = new ProcessDump(fp, fs, tracer, images, drivers, analyzer, options, scope);
                // on the tracer's thread: every ptrace request and remote syscall then runs inline, without
                // a hop between threads (a process's state takes a few hundred of them)
                tracer.run(() -> collect(fp, p, fdinfos));
                // after the sessions are closed: their scratch pages are gone again
                memory.add(scan(fp.pid(), pagesId++, p));
            }
            // what needs every process seen (a socket's peer elsewhere in the tree), still frozen
            scope.end();
            later.all(ImageKind.PSTREE, null, pstree);
            for (Map.Entry<Integer, List<dev.jcr.image.proto.FdinfoEntry>> e : fdinfos.entrySet()) {
                later.all(ImageKind.FDINFO, e.getKey(), e.getValue());
            }
            images.writeShared();
            copyMemory();
            writeGlobal();
        }

        /**
         * The frozen tree as drivers see it: every process's fds, read once here (each socket table once
         * per network namespace), so that a driver can tell where a socket's peer or a pty's master is.
         */
        private dev.jcr.resource.TreeView treeView() {
            Map<Long, SocketTable> sockets = new HashMap<>();
            Map<Long, String> comms = new java.util.LinkedHashMap<>();
            Map<Long, List<dev.jcr.proc.OpenFd>> fds = new HashMap<>();
            for (FrozenProcess fp : tree.processes()) {
                if (fp.zombie()) {
                    continue; // no fds, no namespaces left
                }
                long netNs = fs.namespaces(fp.pid()).inode(NamespaceType.NET);
                SocketTable st = sockets.computeIfAbsent(netNs, k -> fs.sockets(fp.pid()));
                comms.put((long) fp.pid(), fs.process(fp.pid()).comm());
                fds.put((long) fp.pid(), fs.fds(fp.pid(), st));
            }
            return new dev.jcr.resource.TreeView(fs, comms, fds, options.given(), true);
        }

        /** The drivers' last steps before the tree is let go (run on, or killed). */
        void release() {
            if (scope != null) {
                scope.release();
            }
        }

        void failed() {
            if (scope != null) {
                scope.failed();
            }
        }

        void close() {
            if (scope != null) {
                scope.close();
            }
        }

        private void collect(FrozenProcess fp, ProcessDump p,
                Map<Integer, List<dev.jcr.image.proto.FdinfoEntry>> fdinfos) {
            try (p) {
                p.collect();
                TaskKobjIdsEntry kids = ids.of(fp.pid(), p.info.namespaces());
                long leaderMask = p.cores().get(fp.pid()).getThreadCore().getBlkSigset();
                TaskCoreEntry.Builder tc = p.taskCore();
                TaskImages.task(p, tc, leaderMask);
                later.single(ImageKind.MM, fp.pid(), TaskImages.mm(p));
                later.single(ImageKind.FS, fp.pid(), TaskImages.fs(p));
                later.single(ImageKind.IDS, fp.pid(), kids);
                for (Map.Entry<Integer, CoreEntry.Builder> c : p.cores().entrySet()) {
                    CoreEntry.Builder core = c.getValue();
                    if (c.getKey() == fp.pid()) {
                        core.setTc(tc);
                    }
                    later.single(ImageKind.CORE, c.getKey(), core.build());
                }
                fdinfos.computeIfAbsent(kids.getFilesId(), k -> new ArrayList<>(p.fdinfos));
            }
        }

        MemoryDump scan(int pid, int pagesId, ProcessDump p) {
            long t = System.nanoTime();
            MemoryDump m = new MemoryDump(tracer, pid, pagesId);
            m.scan(later, p.vmas, p.selections);
            memdumpNanos += System.nanoTime() - t;
            pagesScanned += m.pagesScanned();
            return m;
        }

        private void copyMemory() {
            listener.phase(DumpPhase.MEMORY);
            long total = 0;
            for (MemoryDump m : memory) {
                total += m.pages();
            }
            long t = System.nanoTime();
            long[] done = {0};
            long totalPages = total;
            listener.pages(0, totalPages);
            for (MemoryDump m : memory) {
                m.copy(dir, bytes -> {
                    done[0] += bytes / 4096;
                    listener.pages(done[0], totalPages);
                });
            }
            pagesWritten = done[0];
            memwriteNanos = System.nanoTime() - t;
        }

        private void writeGlobal() {
            InventoryEntry.Builder inventory = InventoryEntry.newBuilder().setImgVersion(2)
                    .setFdinfoPerId(true).setRootIds(ids.root()).setNsPerId(true).setLsmtype(Lsmtype.NO_LSM)
                    .setDumpUptime(stateUptimeMicros).setNetworkLockMethod(0);
            if (options.given().contains(Options.TCP_CLOSE)) {
                inventory.setTcpClose(true); // as CRIU: the restore then knows its connections come back closed
            }
            later.single(ImageKind.INVENTORY, null, inventory.build());
            later.single(ImageKind.SECCOMP, null, SeccompEntry.getDefaultInstance());
            // the clocks as the tree sees them: this machine's plus its time namespace's offsets
            long[] offsets = TimeOffsets.of(fs, tree.root());
            long mono = Linux.clockNanos(Linux.CLOCK_MONOTONIC) + offsets[0];
            long boot = Linux.clockNanos(Linux.CLOCK_BOOTTIME) + offsets[1];
            later.single(ImageKind.TIMENS, 0, TimensEntry.newBuilder()
                    .setMonotonic(Timespec.newBuilder().setTvSec(mono / 1_000_000_000L).setTvNsec(mono % 1_000_000_000L))
                    .setBoottime(Timespec.newBuilder().setTvSec(boot / 1_000_000_000L).setTvNsec(boot % 1_000_000_000L))
                    .build());
        }

        void writeDeferred() {
            later.writeTo(dir);
        }

        void writeStats(long freezeNanos, long frozenAt, long t0) {
            long now = System.nanoTime();
            later.single(ImageKind.STATS, "dump", StatsEntry.newBuilder().setDump(DumpStatsEntry.newBuilder()
                    .setFreezingTime((int) (freezeNanos / 1000)).setFrozenTime((int) ((now - frozenAt) / 1000))
                    .setMemdumpTime((int) (memdumpNanos / 1000)).setMemwriteTime((int) (memwriteNanos / 1000))
                    .setPagesScanned(pagesScanned).setPagesSkippedParent(0).setPagesWritten(pagesWritten)
                    .setPagesLazy(0)).build());
        }

        DumpStats stats(long freezeNanos, long frozenNanos, long totalNanos, long imageBytes) {
            return new DumpStats(freezeNanos / 1000, frozenNanos / 1000, memdumpNanos / 1000, memwriteNanos / 1000,
                    totalNanos / 1000, pagesScanned, pagesWritten, imageBytes);
        }
    }

    /** Seconds since boot (CLOCK_BOOTTIME, from /proc/uptime) in microseconds. */
    /** CLOCK_BOOTTIME (the clock of /proc/uptime) in microseconds. */
    private static long uptimeMicros() {
        return Linux.clockNanos(Linux.CLOCK_BOOTTIME) / 1000;
    }
}
