package dev.jcr.restore;

/**
 * The signal that puts a restored stopped process back into its stop. The one that stopped it
 * (task_core stop_signo) where the kernel will act on it: SIGTSTP, SIGTTIN and SIGTTOU are discarded
 * in an orphaned process group (POSIX), which a restored group can be although the original was not
 * (its parent outside the tree is now jcr or init); there, and when the image does not say, SIGSTOP,
 * which always stops (a later dump then records SIGSTOP as the stop signal).
 */
final class StopSignal {

    static final int SIGSTOP = 19;

    private StopSignal() {
    }

    static int of(RestorePlan plan, ProcessPlan p, boolean shellJob) {
        int sig = p.stopSignal();
        if (sig == SIGSTOP || !orphaned(plan, p.pgid(), shellJob)) {
            return sig;
        }
        return SIGSTOP;
    }

    /**
     * After the restore, is process group PGID orphaned: does no member have a parent in another group
     * of the same session? Only the tree's own parents can say no, and a --shell-job root, which stays
     * in jcr's group (jcr's parent, the shell, is in another group of that session).
     */
    static boolean orphaned(RestorePlan plan, int pgid, boolean shellJob) {
        ProcessPlan root = plan.root();
        if (shellJob && root.pgid() == pgid && root.pgid() != root.pid()) {
            return false;
        }
        for (ProcessPlan m : plan.living()) {
            if (m.pgid() != pgid || m == root) {
                continue;
            }
            for (ProcessPlan q : plan.processes()) {
                if (q.pid() == m.ppid() && q.pgid() != pgid && q.sid() == m.sid()) {
                    return false;
                }
            }
        }
        return true;
    }
}
