package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.ptrace.RemoteSyscalls;

/**
 * A thread's nice value and scheduling policy, set by the thread itself (both are per thread on
 * Linux). Lowering a nice value or choosing a real-time policy needs privileges the caller may lack:
 * then the restore fails naming the thread, instead of running it at another priority.
 */
final class Scheduling {

    static final int SYS_SETPRIORITY = 141;
    static final int SYS_SCHED_SETSCHEDULER = 144;
    private static final int RESET_ON_FORK = 0x40000000;

    private Scheduling() {
    }

    static void restore(Target t, ThreadCoreEntry tc) {
        int policy = tc.hasSchedPolicy() ? tc.getSchedPolicy() : 0;
        if (policy != 0 || tc.getSchedPrio() != 0) {
            long buf = t.remote().scratch(RemoteSyscalls.PAGE);
            t.remote().write(buf, Target.le(4).putInt(0, tc.getSchedPrio()).array());
            check(t, t.remote().syscall(SYS_SCHED_SETSCHEDULER, 0, policy, buf), "scheduling policy " + policy
                    + " (priority " + tc.getSchedPrio() + ")");
        }
        if (tc.hasSchedNice() && (policy & ~RESET_ON_FORK) != 1 && (policy & ~RESET_ON_FORK) != 2) {
            check(t, t.remote().syscall(SYS_SETPRIORITY, 0 /* PRIO_PROCESS: this thread */, 0, tc.getSchedNice()),
                    "nice " + tc.getSchedNice());
        }
    }

    private static void check(Target t, long rc, String what) {
        if (rc == -1 || rc == -13) { // EPERM, EACCES
            throw new RestoreException(Kind.PERMISSION, "thread " + t.pid() + ": jcr may not give it " + what
                    + " (raising a priority needs CAP_SYS_NICE or RLIMIT_NICE/RLIMIT_RTPRIO)");
        }
        if (rc < 0 && rc >= -4095) {
            throw new RestoreException(Kind.IO, "thread " + t.pid() + ": setting " + what + " failed: errno " + -rc);
        }
    }
}
