package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.image.PageRanges;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.Rlimit;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.WriteTracker;
import dev.jcr.resource.memory.WriteTrackerDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The write-tracking side of one dump: for each frozen process, finds the tracker jcr left there
 * before (and whether it was last reset by the parent dump, so its answers hold against the parent's
 * pages), makes a new one when this dump is to leave tracking armed (a pre-dump, or {@code --track-mem}),
 * and closes trackers that are no longer wanted (a dump without tracking that lets the tree run on,
 * copies inherited by children of a tracked process). See {@link ProcessTracking} for the page decisions.
 */
final class Tracking {

    private final ProcFs fs;
    private final TrackingRecords records;
    private final String runId;
    private final ParentImages parent;
    private final boolean arm;
    private final boolean disarm;
    private final List<String> notes = new ArrayList<>();
    private boolean unsupportedNoted;

    /**
     * @param runId  this dump's run id (inventory dump_criu_run_id): the records name it as the reset
     * @param parent the parent images (null: a full dump)
     * @param arm    leave tracking armed for a later incremental dump
     * @param disarm close jcr's trackers (the tree runs on untracked)
     */
    Tracking(ProcFs fs, TrackingRecords records, String runId, ParentImages parent, boolean arm, boolean disarm) {
        this.fs = fs;
        this.records = records;
        this.runId = runId;
        this.parent = parent;
        this.arm = arm;
        this.disarm = disarm;
    }

    /** What this dump could not do as asked, for the summary (e.g. tracking lost, kernel without it). */
    List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Prepares PID (frozen; on the tracer thread): REMOTE opens a remote session in its main thread
     * when one is needed (creating or closing a tracker). The answer decides which pages to copy.
     */
    ProcessTracking prepare(int pid, Supplier<RemoteSyscalls> remote) {
        return prepare(pid, fs.fds(pid), remote, PreCopy.none());
    }

    /**
     * As {@link #prepare(int, Supplier)}, with PID's fds as already read on the frozen tree, after the
     * round EARLY copied pages written since the parent (its tracker reset then answers for what is
     * written since).
     */
    ProcessTracking prepare(int pid, List<OpenFd> fds, Supplier<RemoteSyscalls> remote, PreCopy early) {
        long start = fs.process(pid).startTimeTicks();
        List<Integer> trackers = new ArrayList<>();
        for (OpenFd fd : fds) {
            if (WriteTrackerDriver.isTracker(fd)) {
                trackers.add(fd.fd());
            }
        }
        Optional<TrackingRecords.Entry> rec = records.get(pid, start);
        int own = rec.isPresent() && trackers.contains(rec.get().fd()) ? rec.get().fd() : -1;
        PreCopy.Held held = early.of(pid);
        boolean trusted = own >= 0 && parent != null && (parent.runId().equals(rec.get().runId())
                || held != null && runId.equals(rec.get().runId()));
        if (parent != null && !trusted) {
            notes.add("pid " + pid + ": " + (own < 0 ? "no write tracking since the parent dump"
                    : "write tracking was reset after the parent dump") + "; all its pages copied");
        }
        for (int fd : trackers) {
            if (fd != own) {
                // a copy inherited from a tracked parent process, or one whose record was lost
                WriteTracker.closeInTarget(remote.get(), fd);
            }
        }
        WriteTracker tracker = null;
        if (arm) {
            // the record first: if this dump dies after resetting the tracker, no parent matches it
            records.put(pid, start, new TrackingRecords.Entry(own, runId));
            try {
                tracker = own >= 0 ? WriteTracker.attach(pid, own) : WriteTracker.create(remote.get(), pid, fdFloor(pid));
                records.put(pid, start, new TrackingRecords.Entry(tracker.targetFd(), runId));
            } catch (JcrException e) {
                records.remove(pid, start);
                if (!unsupportedNoted) {
                    unsupportedNoted = true;
                    notes.add("write tracking is not available (" + e.getMessage() + "): the next dump copies every page");
                }
                return new ProcessTracking(null, false, false, PageRanges.EMPTY, null);
            }
        } else if (own >= 0) {
            tracker = trusted ? WriteTracker.attach(pid, own) : null; // jcr's duplicate keeps it alive for the scan
            if (disarm) {
                WriteTracker.closeInTarget(remote.get(), own);
                records.remove(pid, start);
            }
        }
        PageRanges inParent = trusted ? parent.pages(pid) : PageRanges.EMPTY;
        return new ProcessTracking(tracker, trusted, arm && tracker != null, inParent, trusted ? held : null);
    }

    /** Where the tracker goes: high, out of the way of descriptor numbers programs use. */
    private int fdFloor(int pid) {
        long soft = 1024;
        for (Rlimit r : fs.limits(pid)) {
            if (r.name().equals("Max open files") && r.soft() > 0) {
                soft = r.soft();
            }
        }
        return (int) Math.max(3, Math.min(soft, 1024) - 16);
    }

    /** The tracking records (tests look at them). */
    TrackingRecords records() {
        return records;
    }
}
