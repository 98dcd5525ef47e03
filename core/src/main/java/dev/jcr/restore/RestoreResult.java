package dev.jcr.restore;

import java.util.List;

/**
 * What a restore did.
 *
 * @param rootPid     the restored root, as dumped (in its PID namespace)
 * @param pids        every restored process, as dumped
 * @param exitStatus  the root's wait status when the restore waited for it, else -1
 * @param stats       where the time went until the tree ran
 * @param hostRootPid the root's pid as this host sees it (differs from ROOT_PID after a restore into a
 *                    new PID namespace)
 */
public record RestoreResult(int rootPid, List<Integer> pids, int exitStatus, RestoreStats stats, int hostRootPid) {

    public RestoreResult(int rootPid, List<Integer> pids, int exitStatus, RestoreStats stats) {
        this(rootPid, pids, exitStatus, stats, rootPid);
    }
}
