package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.fault.Cancellation;
import dev.jcr.image.PageRanges;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.Vma;
import dev.jcr.ptrace.PageRuns;
import dev.jcr.ptrace.RemoteMemory;
import dev.jcr.ptrace.WriteTracker;
import dev.jcr.resource.memory.WriteTrackerDriver;
import dev.jcr.sys.Linux;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The last pre-dump round of an incremental dump, run inside it with the tree still running: the
 * pages written since the parent dump are copied into a scratch file before the freeze, the tracker
 * reset in the same walk, so that the frozen part copies only what is written during this copy.
 *
 * <p>Why: between the parent (a pre-dump) and the freeze of the final dump, the tree writes for as
 * long as jcr takes to start, check and practice (half a second and more). Everything written then
 * was copied while frozen. After this round, the frozen part copies only what was written during the
 * round itself (tens of milliseconds): a 1 GiB process writing 100 MiB/s goes from about 60 MiB copied
 * frozen to 2 MiB. The image is the one the dump would write without the round: the scratch pages go
 * to their places in the pages file after the tree is released, before the commit.
 *
 * <p>A page copied here is taken as it is unless the freeze finds it written again (then it is copied
 * frozen); a page written since the parent but not copied here (it vanished meanwhile, or its area was
 * not readable) is copied frozen. Only processes whose tracker the parent reset take part (the others
 * are copied whole while frozen, as before). The tracking record names this dump before the tracker is
 * reset: if jcr dies after that, no dump trusts the tracker against the parent any more (its next dump
 * copies everything), never the other way round.
 */
final class PreCopy implements AutoCloseable {

    /** The address space a tracker can cover (x86-64, 4-level page tables: 47 bits). */
    private static final long USER_TOP = 1L << 47;

    /**
     * What the round did for one process: the pages written since the parent ({@link #written}), and
     * those of them copied ({@link #copied}), back to back in address order in the scratch file from
     * BASE on.
     */
    static final class Held {
        private final PageRanges written;
        private final PageRanges copied;
        private final PageRuns runs;
        /** Scratch-file offset of each run. */
        private final long[] at;

        Held(PageRanges written, PageRuns runs, long base) {
            this.written = written;
            this.runs = runs;
            this.at = new long[runs.count()];
            PageRanges.Builder b = new PageRanges.Builder();
            long o = base;
            for (int i = 0; i < runs.count(); i++) {
                at[i] = o;
                o += runs.len(i);
                b.add(runs.addr(i), runs.addr(i) + runs.len(i));
            }
            this.copied = b.build();
        }

        PageRanges written() {
            return written;
        }

        PageRanges copied() {
            return copied;
        }

        /** Where the LEN bytes from page ADDR (copied, in one run) are in the scratch file. */
        long offsetOf(long addr, long len) {
            int lo = 0;
            int hi = runs.count() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(addr, runs.addr(mid)) < 0) {
                    hi = mid - 1;
                } else if (Long.compareUnsigned(addr, runs.addr(mid) + runs.len(mid)) >= 0) {
                    lo = mid + 1;
                } else if (addr + len <= runs.addr(mid) + runs.len(mid)) {
                    return at[mid] + (addr - runs.addr(mid));
                } else {
                    break;
                }
            }
            throw new IllegalArgumentException(String.format("pages 0x%x+%d were not copied before the freeze", addr, len));
        }
    }

    private final Path file;
    /** The image directory as the user named it (errors name it, not the hidden temporary). */
    private final Path shown;
    private final int fd;
    private final Map<Integer, Held> held = new HashMap<>();
    private long bytes;
    private boolean closed;

    private PreCopy(Path file, Path shown, int fd) {
        this.file = file;
        this.shown = shown;
        this.fd = fd;
    }

    /** A round that copied nothing. */
    static PreCopy none() {
        return new PreCopy(null, null, -1);
    }

    /**
     * Runs the round over PIDS (running) whose tracker the PARENT dump reset, into scratch file FILE of
     * the image directory SHOWN; RUN_ID is this dump's. PROGRESS gets bytes copied.
     */
    static PreCopy run(ProcFs fs, TrackingRecords records, ParentImages parent, String runId, List<Integer> pids,
            Path file, Path shown, LongConsumer progress) {
        PreCopy pc = new PreCopy(file, shown, Linux.open(file.toString(), Linux.O_RDWR | 0100 /* O_CREAT */, 0600));
        try {
            for (int pid : pids) {
                pc.copy(fs, records, parent, runId, pid, progress);
            }
            return pc;
        } catch (RuntimeException | Error e) {
            pc.close();
            throw e;
        }
    }

    private void copy(ProcFs fs, TrackingRecords records, ParentImages parent, String runId, int pid,
            LongConsumer progress) {
        long start;
        List<OpenFd> fds;
        List<Vma> maps;
        try {
            start = fs.process(pid).startTimeTicks();
            fds = fs.fds(pid);
            maps = fs.maps(pid);
        } catch (JcrException gone) {
            return; // the freeze finds out what happened to it
        }
        Optional<TrackingRecords.Entry> rec = records.get(pid, start);
        if (rec.isEmpty() || !rec.get().runId().equals(parent.runId())
                || fds.stream().noneMatch(f -> f.fd() == rec.get().fd() && WriteTrackerDriver.isTracker(f))) {
            return;
        }
        long lo = -1;
        long hi = 0;
        for (Vma v : maps) {
            if (Long.compareUnsigned(v.end(), USER_TOP) <= 0) {
                lo = lo == -1 ? v.start() : lo;
                hi = v.end();
            }
        }
        if (lo == -1) {
            return;
        }
        // named first: from the reset on, the tracker answers against this dump, not the parent
        records.put(pid, start, new TrackingRecords.Entry(rec.get().fd(), runId));
        PageRanges written = PageRanges.EMPTY;
        try (WriteTracker t = WriteTracker.attach(pid, rec.get().fd())) {
            PageRanges covered = t.covered(lo, hi);
            for (int i = 0; i < covered.count(); i++) {
                written = written.union(t.written(covered.start(i), covered.end(i), true));
            }
        }
        dev.jcr.fault.Faults.hit(dev.jcr.fault.Faults.CHAIN_PRECOPY);
        PageRuns want = new PageRuns();
        for (int i = 0; i < written.count(); i++) {
            want.add(written.start(i), written.end(i) - written.start(i));
        }
        LongConsumer steps = b -> {
            progress.accept(b);
            Cancellation.check();
        };
        PageRuns got;
        try {
            got = new RemoteMemory(pid).copyReadable(want, fd, bytes, steps);
        } catch (dev.jcr.ptrace.NoSuchProcessException gone) {
            return;
        } catch (dev.jcr.sys.SyscallException e) {
            // the scratch file lives in the image directory's disk: a full disk ends the dump here, as
            // it would have in the frozen copy, before anything is frozen
            throw new dev.jcr.image.ImageIoException("cannot write the copy made before the freeze in " + shown
                    + ": " + (e.errno() == dev.jcr.sys.Errno.ENOSPC ? "no space left on device" : e.getMessage()), e);
        }
        held.put(pid, new Held(written, got, bytes));
        bytes += got.bytes();
    }

    /** What the round did for PID: null when it did not take part. */
    Held of(int pid) {
        return held.get(pid);
    }

    /** Bytes copied in all. */
    long bytes() {
        return bytes;
    }

    /** Copies LEN bytes of PID's page ADDR on (copied here) to OFFSET of file OUT. */
    void moveTo(int pid, long addr, long len, int out, long offset) {
        Linux.copyFileRange(fd, held.get(pid).offsetOf(addr, len), out, offset, len);
    }

    /** Closes and removes the scratch file (it never goes into a committed directory). */
    @Override
    public void close() {
        if (fd >= 0 && !closed) {
            closed = true;
            Linux.close(fd);
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                // the directory's abort or commit check finds it
            }
        }
    }
}
