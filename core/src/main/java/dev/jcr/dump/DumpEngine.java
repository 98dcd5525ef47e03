package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.fault.Cancellation;
import dev.jcr.fault.Cancelled;
import dev.jcr.fault.Faults;
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
import java.util.UUID;
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
    private final TrackingRecords records;

    public DumpEngine() {
        this(ProcFs.system(), DriverTable.standard());
    }

    public DumpEngine(ProcFs fs, DriverTable drivers) {
        this.fs = fs;
        this.drivers = drivers;
        this.analyzer = new Analyzer(fs, drivers, Self.of(fs));
        this.treeCheck = new TreeCheck(fs, analyzer);
        this.records = TrackingRecords.standard(fs);
    }

    /** Dumps the tree rooted at PID. Never leaves the tree stopped or a partial directory behind. */
    public DumpResult dump(int pid, DumpOptions options, DumpListener listener) {
        Cancellation.enter();
        try {
            return dumpNow(pid, options, listener);
        } catch (Cancelled c) {
            throw c.withOutcome("the tree runs on unharmed, no image directory was written");
        } finally {
            Cancellation.leave();
        }
    }

    private DumpResult dumpNow(int pid, DumpOptions options, DumpListener listener) {
        long t0 = System.nanoTime();
        Faults.armFromEnvironment();
        listener.phase(DumpPhase.CHECKING);
        TreeReport report = check(pid, options);
        Faults.hit(Faults.DUMP_CHECKED);
        if (options.parent() != null && !options.preDump()) {
            // the last dump of a chain is the one whose frozen time matters: the JVM warms up first
            Practice.once(this);
        }
        ParentImages parent = parent(options);
        if (parent != null) {
            // read before the freeze: the pages each process has in the parent chain
            report.processes().forEach(p -> parent.pages((int) p.pid()));
        }
        ImageDirWriter dir = options.sink() != null ? ImageDirWriter.create(options.sink(), options.directory().toString())
                : ImageDirWriter.create(options.directory());
        String runId = UUID.randomUUID().toString();
        boolean letsRun = !options.kill() && options.handoff() == null;
        Tracking tracking = new Tracking(fs, records, runId, parent, options.armsTracking(),
                !options.armsTracking() && letsRun);
        PreCopy early = PreCopy.none();
        if (parent != null && !options.preDump() && options.sink() == null) {
            // with the tree running: what it wrote since the parent, so that the freeze copies only what it writes meanwhile
            try {
                early = preCopy(report, parent, dir, runId, listener);
            } catch (RuntimeException | Error e) {
                dir.abort();
                throw e;
            }
        }
        warmUp();
        try (PreCopy earlier = early; Tracer tracer = Tracer.start()) {
            if (parent != null) {
                dir.linkParent(parent.link());
            }
            listener.phase(DumpPhase.FREEZING);
            long tFreeze = System.nanoTime();
            FrozenTree tree = seize(tracer, pid);
            long tFrozen = System.nanoTime();
            Run run = new Run(tree, tracer, dir, options, listener, tracking, runId, earlier);
            long tReleased;
            try {
                if (options.preDump()) {
                    run.preDump();
                    listener.phase(DumpPhase.RESUMING);
                    tracer.close(); // the copy goes on with the tree running
                    tReleased = System.nanoTime();
                    run.copyMemoryRunning();
                    run.writeStats(tFrozen - tFreeze, tReleased - tFrozen);
                } else {
                    run.dumpAll();
                    run.writeStats(tFrozen - tFreeze, System.nanoTime() - tFrozen);
                    tReleased = 0;
                }
                if (letsRun && !options.preDump()) {
                    // every byte is in the page cache: the tree may run on while the images are synced
                    listener.phase(DumpPhase.RESUMING);
                    run.release();
                    tracer.close();
                    tReleased = System.nanoTime();
                    Faults.hit(Faults.DUMP_RELEASED);
                }
                listener.phase(DumpPhase.COMMITTING);
                run.fillPrecopied();
                earlier.close(); // the scratch file is not part of the directory
                if (earlier.bytes() > 0) {
                    Faults.hit(Faults.CHAIN_FILLED);
                }
                run.writeDeferred();
                Faults.hit(Faults.DUMP_WRITTEN);
                dir.commit();
                Faults.hit(Faults.DUMP_COMMITTED);
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
            List<Integer> pids = tree.processes().stream().map(FrozenProcess::pid).toList();
            boolean kill = options.kill();
            if (options.handoff() != null) {
                // committed, still frozen: the handoff decides (an exception lets the tree run on, via the tracer's close)
                DumpStats sofar = run.stats(tFrozen - tFreeze, System.nanoTime() - tFrozen, System.nanoTime() - t0,
                        imageBytes(dir, run));
                kill = options.handoff().committed(new DumpResult(dir.target(), pid, pids, tree.allThreads().size(),
                        false, sofar, false, tracking.notes(), run.link()), tFreeze);
                if (!kill) {
                    listener.phase(DumpPhase.RESUMING);
                    tracer.close();
                    tReleased = System.nanoTime();
                }
            }
            if (kill) {
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
            DumpStats s = run.stats(tFrozen - tFreeze, tReleased - tFrozen, tEnd - t0, imageBytes(dir, run));
            // a restore right after --kill must find every pid free: wait (not counted above) until the
            // killed processes are reaped
            List<String> warnings = new ArrayList<>(tracking.notes());
            if (options.kill()) {
                warnings.addAll(KilledTree.awaitFree(fs, tree.allIds(), options.reapWait()));
            }
            listener.phase(DumpPhase.DONE);
            return new DumpResult(dir.target(), pid, pids, tree.allThreads().size(), kill, s,
                    options.preDump(), warnings, run.link());
        } finally {
            dir.abort(); // no-op once committed
        }
    }

    /** The round before the freeze ({@link PreCopy}) over the processes of REPORT, into DIR's scratch file. */
    private PreCopy preCopy(TreeReport report, ParentImages parent, ImageDirWriter dir, String runId,
            DumpListener listener) {
        listener.phase(DumpPhase.PRECOPY);
        List<Integer> pids = report.processes().stream().map(p -> (int) p.pid()).toList();
        long total = 0;
        for (int pid : pids) {
            total += parent.pages(pid).bytes() / 4096; // a bound for the bar: what the round copies is not known before
        }
        long bound = total;
        long[] done = {0};
        return PreCopy.run(fs, records, parent, runId, pids, dir.tempDir().resolve(".precopy"), dir.target(), bytes -> {
            done[0] += bytes / 4096;
            listener.pages(done[0], Math.max(bound, done[0]));
        });
    }

    /** The parent of an incremental dump: read from its directory, or known from the previous round. */
    private static ParentImages parent(DumpOptions options) {
        if (options.parent() == null) {
            return null;
        }
        if (options.knownParent() != null) {
            return ParentImages.of(options.knownParent(), options.parent());
        }
        if (options.sink() != null) {
            throw new dev.jcr.pageserver.PageServerException(JcrException.Kind.USAGE, "a dump to "
                    + options.sink().describe() + " continues from a parent of the same session only (jcr migrate)");
        }
        return ParentImages.open(options.directory(), options.parent());
    }

    private static long imageBytes(ImageDirWriter dir, Run run) {
        // a directory sent away is not here to measure: its pages are most of it
        return dir.sink() != null ? run.pagesWritten * 4096 : imageBytes(dir.target());
    }

    /** Freezes the tree; a fault point fires on each side (the directory exists, nothing frozen / all frozen). */
    private static FrozenTree seize(Tracer tracer, int pid) {
        Faults.hit(Faults.DUMP_DIR);
        FrozenTree tree = tracer.seizeTree(pid);
        Faults.hit(Faults.DUMP_FROZEN);
        return tree;
    }

    /**
     * Refuses, before anything is touched, a tree with resources the drivers do not support, a process
     * traced by another, or one jcr may not read (the exception's kind says which came first).
     */
    private TreeReport check(int pid, DumpOptions options) {
        TreeReport r = check(pid, options.given());
        if (!r.checkpointable()) {
            throw new UnsupportedTreeException(r);
        }
        return r;
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
        private final Tracking tracking;
        private final String runId;
        private final List<MemoryDump> memory = new ArrayList<>();
        private final List<ProcessTracking> trackers = new ArrayList<>();
        /** The copy made before the freeze (empty unless the last dump of a chain). */
        private final PreCopy early;
        private long pagesPrecopied;
        private long[] statsTimes;
        private DumpScope scope;
        private long memdumpNanos;
        private long memwriteNanos;
        private long pagesScanned;
        private long pagesWritten;
        private long pagesInParent;

        Run(FrozenTree tree, Tracer tracer, ImageDirWriter dir, DumpOptions options, DumpListener listener,
                Tracking tracking, String runId, PreCopy early) {
            this.early = early;
            this.tree = tree;
            this.tracer = tracer;
            this.dir = dir;
            this.options = options;
            this.listener = listener;
            this.images = new ImageSet(dir, later);
            this.ids = new KobjIds(fs.namespaces(fs.selfPid()));
            this.tracking = tracking;
            this.runId = runId;
        }

        /**
         * A pre-dump's frozen part: per process, the memory map (through the memory driver alone) and
         * the write tracker (armed, or reset with the written pages found); no other state is read.
         */
        void preDump() {
            listener.phase(DumpPhase.STATE);
            stateUptimeMicros = uptimeMicros();
            int pagesId = 1;
            for (FrozenProcess fp : tree.processes()) {
                if (fp.zombie()) {
                    continue;
                }
                ProcessDump p = new ProcessDump(fp, fs, tracer, images, drivers, analyzer, options, null);
                ProcessTracking[] t = new ProcessTracking[1];
                tracer.run(() -> {
                    try (p) {
                        p.collectMemory();
                        t[0] = tracking.prepare(fp.pid(), () -> p.remote(fp.pid()));
                    }
                });
                memory.add(scan(fp.pid(), pagesId++, p, t[0]));
            }
            writeGlobal();
        }

        /** A pre-dump's copy, with the tree running again. */
        void copyMemoryRunning() {
            copyEach(true);
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
                ProcessTracking[] t = new ProcessTracking[1];
                // on the tracer's thread: every ptrace request and remote syscall then runs inline, without
                // a hop between threads (a process's state takes a few hundred of them)
                tracer.run(() -> t[0] = collect(fp, p, fdinfos));
                Faults.hit(Faults.DUMP_STATE);
                // after the sessions are closed: the process's own registers again
                memory.add(scan(fp.pid(), pagesId++, p, t[0]));
                Faults.hit(Faults.DUMP_SCANNED);
            }
            // what needs every process seen (a socket's peer elsewhere in the tree), still frozen
            scope.end();
            later.all(ImageKind.PSTREE, null, pstree);
            for (Map.Entry<Integer, List<dev.jcr.image.proto.FdinfoEntry>> e : fdinfos.entrySet()) {
                later.all(ImageKind.FDINFO, e.getKey(), e.getValue());
            }
            images.writeShared();
            copyMemory();
            Faults.hit(Faults.DUMP_MEMORY);
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
            try {
                if (scope != null) {
                    scope.close();
                }
            } finally {
                trackers.forEach(ProcessTracking::close);
                trackers.clear();
            }
        }

        private ProcessTracking collect(FrozenProcess fp, ProcessDump p,
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
                // the fds as the tree view read them, frozen: no second pass over /proc/PID/fd and fdinfo
                return tracking.prepare(fp.pid(), scope.tree().fds(fp.pid()), () -> p.remote(fp.pid()), early);
            }
        }

        MemoryDump scan(int pid, int pagesId, ProcessDump p, ProcessTracking t) {
            long t0 = System.nanoTime();
            MemoryDump m = new MemoryDump(tracer, pid, pagesId);
            // the tracker is closed with the run, once the tree is let go: jcr's duplicate may be the
            // last reference to it (a dump that disarms), and the kernel then unprotects every page
            // (about 8 ms per GiB), which must not count as frozen time
            trackers.add(t);
            m.scan(p.vmas, p.selections, t);
            memdumpNanos += System.nanoTime() - t0;
            pagesScanned += m.pagesScanned();
            pagesInParent += m.pagesInParent();
            return m;
        }

        private void copyMemory() {
            copyEach(false);
        }

        /** Copies every process's pages (RUNNING: a pre-dump's tree runs again) and writes its pagemap. */
        private void copyEach(boolean running) {
            listener.phase(DumpPhase.MEMORY);
            long total = 0;
            for (MemoryDump m : memory) {
                total += m.pages() - m.pagesPrecopied();
            }
            long t = System.nanoTime();
            long[] done = {0};
            long totalPages = total;
            listener.pages(0, totalPages);
            for (MemoryDump m : memory) {
                java.util.function.LongConsumer progress = bytes -> {
                    done[0] += bytes / 4096;
                    listener.pages(done[0], totalPages);
                };
                if (running) {
                    m.copyRunning(dir, progress);
                } else {
                    m.copy(dir, progress);
                }
                m.pagemap(later);
            }
            pagesWritten = done[0];
            memwriteNanos = System.nanoTime() - t;
        }

        private void writeGlobal() {
            InventoryEntry.Builder inv = InventoryEntry.newBuilder().setImgVersion(2)
                    .setFdinfoPerId(true).setRootIds(ids.root()).setNsPerId(true).setLsmtype(Lsmtype.NO_LSM)
                    .setDumpUptime(stateUptimeMicros).setNetworkLockMethod(0).setDumpCriuRunId(runId);
            if (options.given().contains(Options.TCP_CLOSE)) {
                inv.setTcpClose(true); // as CRIU: the restore then knows its connections come back closed
            }
            if (options.preDump()) {
                // CRIU's PRE_DUMP_READ: memory read from outside while the tree runs
                later.single(ImageKind.INVENTORY, null, inv.setPreDumpMode(2).build());
                return;
            }
            later.single(ImageKind.INVENTORY, null, inv.build());
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

        /** Puts the pages copied before the freeze into the pages files (the tree may run again). */
        void fillPrecopied() {
            for (MemoryDump m : memory) {
                m.fillPrecopied(dir, early);
                pagesPrecopied += m.pagesPrecopied();
            }
            pagesWritten += pagesPrecopied;
        }

        void writeDeferred() {
            if (statsTimes != null) {
                stats(statsTimes[0], statsTimes[1]);
            }
            later.writeTo(dir);
        }

        /** Records the times for stats-dump, written last: pages copied before the freeze are counted once they are in. */
        void writeStats(long freezeNanos, long frozenNanos) {
            statsTimes = new long[] {freezeNanos, frozenNanos};
        }

        private void stats(long freezeNanos, long frozenNanos) {
            later.single(ImageKind.STATS, "dump", StatsEntry.newBuilder().setDump(DumpStatsEntry.newBuilder()
                    .setFreezingTime((int) (freezeNanos / 1000)).setFrozenTime((int) (frozenNanos / 1000))
                    .setMemdumpTime((int) (memdumpNanos / 1000)).setMemwriteTime((int) (memwriteNanos / 1000))
                    .setPagesScanned(pagesScanned).setPagesSkippedParent(pagesInParent).setPagesWritten(pagesWritten)
                    .setPagesLazy(0)).build());
        }

        /** What this dump holds per process, for a next dump of the chain that cannot read it back. */
        ChainLink link() {
            java.util.Map<Integer, dev.jcr.image.PageRanges> pages = new HashMap<>();
            for (MemoryDump m : memory) {
                pages.put(m.pid(), m.holds());
            }
            return new ChainLink(runId, pages);
        }

        DumpStats stats(long freezeNanos, long frozenNanos, long totalNanos, long imageBytes) {
            return new DumpStats(freezeNanos / 1000, frozenNanos / 1000, memdumpNanos / 1000, memwriteNanos / 1000,
                    totalNanos / 1000, pagesScanned, pagesWritten, imageBytes, pagesInParent, pagesPrecopied);
        }
    }

    /** Seconds since boot (CLOCK_BOOTTIME, from /proc/uptime) in microseconds. */
    /** CLOCK_BOOTTIME (the clock of /proc/uptime) in microseconds. */
    private static long uptimeMicros() {
        return Linux.clockNanos(Linux.CLOCK_BOOTTIME) / 1000;
    }
}
