package dev.jcr.restore;

import dev.jcr.restore.RestoreListener.Phase;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where the time of one restore went, phase by phase (what `jcr restore --stats` prints; the
 * figures CRIU's stats-restore holds are {@link #forkingMicros()} and {@link #restoreMicros()}).
 *
 * @param micros        wall time per phase in microseconds, from the start of planning until the tree
 *                      runs (the wait for a non-detached root is not included)
 * @param pagesRestored pages read into the restored address spaces
 */
public record RestoreStats(Map<Phase, Long> micros, long pagesRestored) {

    public RestoreStats {
        micros = Collections.unmodifiableMap(new EnumMap<>(micros));
    }

    /** Time of one phase (0 when it did not occur). */
    public long micros(Phase p) {
        return micros.getOrDefault(p, 0L);
    }

    /** Everything from planning to the running tree. */
    public long totalMicros() {
        return micros.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Starting the seed and cloning the tree with its pids (CRIU's forking_time). */
    public long forkingMicros() {
        return micros(Phase.SEED) + micros(Phase.CREATE_TREE);
    }

    /** Everything but planning (CRIU's restore_time). */
    public long restoreMicros() {
        return totalMicros() - micros(Phase.PLAN);
    }
}
