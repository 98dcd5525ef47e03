package dev.jcr.restore;

import java.util.EnumMap;
import java.util.Map;

/**
 * Times the phases of a restore by sitting between the engine and the caller's listener: the
 * engine marks each phase once, for progress and for the figures alike.
 */
final class PhaseClock implements RestoreListener {

    private final RestoreListener next;
    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private Phase current;
    private long since;
    private long pages;

    PhaseClock(RestoreListener next) {
        this.next = next;
    }

    @Override
    public void phase(Phase phase, int pid) {
        lap();
        current = phase;
        next.phase(phase, pid);
    }

    @Override
    public void pages(long written, long total) {
        pages = written;
        next.pages(written, total);
        dev.jcr.fault.Cancellation.check(); // page filling is the long part: it ends early when asked
    }

    private void lap() {
        long now = System.nanoTime();
        if (current != null) {
            nanos.merge(current, now - since, Long::sum);
        }
        since = now;
    }

    /** Ends the phase running now and returns the figures so far. */
    RestoreStats stop() {
        lap();
        current = null;
        Map<Phase, Long> micros = new EnumMap<>(Phase.class);
        nanos.forEach((p, n) -> micros.put(p, n / 1000));
        return new RestoreStats(micros, pages);
    }
}
