package dev.jcr.dump;

import dev.jcr.image.PageRanges;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.ptrace.WriteTracker;
import dev.jcr.resource.PageSelection;
import java.util.List;

/**
 * Which existing pages of one frozen process an incremental dump copies and which it leaves to the
 * parent, and the re-arming of the tracker for the next dump. A page is left in the parent only when
 * all three hold: its area is under the tracker's write protection (registered, and protected ever
 * since the parent dump reset it: {@link Tracking} checked the records), the tracker says it was not
 * written since, and the parent really holds it. Everything else that exists is copied — pages of new,
 * grown, moved or re-created areas, of areas the tracker cannot cover, of processes new since the
 * parent. When arming, written pages are protected again in the same scan that finds them, and areas
 * not covered yet are registered and protected after the scan.
 */
final class ProcessTracking implements AutoCloseable {

    /** No tracking: every existing page is copied. */
    static final ProcessTracking NONE = new ProcessTracking(null, false, false, PageRanges.EMPTY, null);

    private final WriteTracker tracker;
    private final boolean trusted;
    private final boolean arm;
    private final PageRanges parentPages;
    private PageRanges covered = PageRanges.EMPTY;
    private PageRanges written = PageRanges.EMPTY;

    /** Written between the parent and the round before the freeze ({@link PreCopy}), and copied by it. */
    private final PageRanges earlierWritten;
    private final PageRanges earlierCopied;

    /**
     * @param early what the round before the freeze did for this process (null: there was none; the
     *              tracker then answers since the parent, else since that round)
     */
    ProcessTracking(WriteTracker tracker, boolean trusted, boolean arm, PageRanges parentPages, PreCopy.Held early) {
        this.tracker = tracker;
        this.trusted = trusted && tracker != null;
        this.arm = arm;
        this.parentPages = parentPages;
        this.earlierWritten = early == null ? PageRanges.EMPTY : early.written();
        this.earlierCopied = early == null ? PageRanges.EMPTY : early.copied();
    }

    boolean trusted() {
        return trusted;
    }

    /** Before the pages are chosen: what the tracker covers and what was written (re-protected when arming). */
    void begin(List<VmaEntry> vmas, List<PageSelection> selections) {
        if (tracker == null || vmas.isEmpty()) {
            return;
        }
        long lo = -1;
        long hi = 0;
        for (int i = 0; i < vmas.size(); i++) {
            if (selections.get(i) != PageSelection.NONE) {
                lo = lo == -1 ? vmas.get(i).getStart() : lo;
                hi = vmas.get(i).getEnd();
            }
        }
        if (lo == -1) {
            return;
        }
        covered = tracker.covered(lo, hi);
        PageRanges w = PageRanges.EMPTY;
        for (int i = 0; i < covered.count(); i++) {
            w = w.union(tracker.written(covered.start(i), covered.end(i), arm));
        }
        written = w;
    }

    /**
     * The pages of EXISTING (in area V) to copy now; the others are in the parent or (see
     * {@link #precopied}) were copied before the freeze and not written since.
     */
    PageRanges toCopy(VmaEntry v, PageRanges existing) {
        if (!trusted) {
            return existing;
        }
        PageRanges tracked = existing.intersect(covered);
        PageRanges untracked = existing.subtract(tracked);
        // written since the tracker's last reset; written before it (since the parent) but not copied
        // then; or held neither by the parent nor by the copy before the freeze
        PageRanges stale = tracked.intersect(written.union(earlierWritten.subtract(earlierCopied)))
                .union(tracked.subtract(parentPages.union(earlierCopied)));
        return untracked.union(stale);
    }

    /** The pages of EXISTING (in area V) copied before the freeze and not written since: taken from that copy. */
    PageRanges precopied(VmaEntry v, PageRanges existing) {
        if (!trusted || earlierCopied.isEmpty()) {
            return PageRanges.EMPTY;
        }
        return existing.intersect(covered).intersect(earlierCopied).subtract(written);
    }

    /** After the pages are chosen, when arming: registers and protects the areas not covered yet. */
    void finish(List<VmaEntry> vmas, List<PageSelection> selections) {
        if (!arm || tracker == null) {
            return;
        }
        for (int i = 0; i < vmas.size(); i++) {
            if (selections.get(i) == PageSelection.NONE) {
                continue;
            }
            VmaEntry v = vmas.get(i);
            PageRanges todo = PageRanges.of(v.getStart(), v.getEnd()).subtract(covered);
            for (int k = 0; k < todo.count(); k++) {
                if (tracker.register(todo.start(k), todo.end(k))) {
                    tracker.written(todo.start(k), todo.end(k), true); // protects what exists now
                }
            }
        }
    }

    @Override
    public void close() {
        if (tracker != null) {
            tracker.close();
        }
    }
}
