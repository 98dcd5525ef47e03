package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.ptrace.RemoteSyscalls;

/**
 * State set after a thread's credentials, because a change of credentials resets it (commit_creds
 * clears the parent-death signal and makes the process dumpable again): per thread the parent-death
 * signal (PR_SET_PDEATHSIG); per process, in the main thread, the dumpable flag, the
 * transparent-huge-page disable flag and the membarrier registrations.
 *
 * <p>The parent-death signal fires when the thread that made the process exits. A restored child was
 * made by its parent's main thread; a restored root's parent is init (detached restore), or the jcr
 * thread that started the restore, which outlives the root when jcr waits for it.
 */
final class LateState {

    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_SET_DUMPABLE = 4;
    private static final int PR_SET_THP_DISABLE = 41;
    private static final int SYS_MEMBARRIER = 324;
    /** Registration commands membarrier(MEMBARRIER_CMD_GET_REGISTRATIONS) reports, each given again as is. */
    static final int MEMBARRIER_REGISTRATIONS = 1 << 2 | 1 << 4 | 1 << 6 | 1 << 8;

    private LateState() {
    }

    static void thread(Target t, ThreadCoreEntry tcore) {
        if (tcore.getPdeathSig() != 0) {
            t.call("prctl(PR_SET_PDEATHSIG, " + tcore.getPdeathSig() + ")", RemoteSyscalls.SYS_PRCTL, PR_SET_PDEATHSIG,
                    tcore.getPdeathSig(), 0, 0, 0);
        }
    }

    static void process(Target t, TaskCoreEntry tc, MmEntry mm) {
        if (mm.hasDumpable() && (mm.getDumpable() == 0 || mm.getDumpable() == 1)) {
            // 2 (suid_dumpable) is the kernel's own to give; a fresh process is 1
            t.call("prctl(PR_SET_DUMPABLE, " + mm.getDumpable() + ")", RemoteSyscalls.SYS_PRCTL, PR_SET_DUMPABLE,
                    mm.getDumpable(), 0, 0, 0);
        }
        if (mm.getThpDisabled()) {
            t.call("prctl(PR_SET_THP_DISABLE, 1)", RemoteSyscalls.SYS_PRCTL, PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
        int barriers = tc.getMembarrierRegistrationMask();
        for (int bit = 0; bit < 32; bit++) {
            if ((barriers & (1 << bit)) != 0) {
                long rc = t.remote().syscall(SYS_MEMBARRIER, 1L << bit, 0, 0);
                if (rc < 0) {
                    throw new RestoreException(Kind.UNSUPPORTED, "process " + t.pid() + ": membarrier registration 0x"
                            + Integer.toHexString(1 << bit) + " cannot be given again here (errno " + -rc + ")");
                }
            }
        }
    }
}
