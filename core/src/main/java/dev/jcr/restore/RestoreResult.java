package dev.jcr.restore;

import java.util.List;

/**
 * What a restore did.
 *
 * @param rootPid    the restored root
 * @param pids       every restored process
 * @param exitStatus the root's wait status when the restore waited for it, else -1
 * @param stats      where the time went until the tree ran
 */
public record RestoreResult(int rootPid, List<Integer> pids, int exitStatus, RestoreStats stats) {
}
