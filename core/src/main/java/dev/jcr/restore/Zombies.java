package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.proc.PidHolder;
import dev.jcr.proc.ProcFs;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * Restored zombies (as CRIU restores them): each is cloned in its restored parent with its pid,
 * session and group like any process, named, and then released straight into {@code exit_group} with
 * its exit code, or into {@code kill} of itself with the signal that had killed it (default action,
 * unblocked first). It then waits, a zombie again, for its parent to reap it with the same status.
 *
 * <p>The parent must not learn of that death a second time: the SIGCHLD it had for it was delivered
 * (or is still pending, and then comes back from the image) before the dump. So the parent holds
 * SIGCHLD blocked while the child dies and then takes the new one off its queue with a zero-timeout
 * {@code rt_sigtimedwait}; its own mask and pending signals are set later, from the image.
 *
 * <p>Not reproduced: the "core dumped" bit of a signal death (the kernel sets it only when it writes
 * a core file, which a restore must not), and the zombie's CPU times.
 */
final class Zombies {

    private static final int SIGCHLD = 17;
    private static final long SIGCHLD_BIT = 1L << (SIGCHLD - 1);
    private static final int SYS_RT_SIGACTION = 13;
    private static final int SYS_RT_SIGPROCMASK = 14;
    private static final int SYS_KILL = 62;
    private static final int SYS_EXIT_GROUP = 231;
    private static final int SYS_RT_SIGTIMEDWAIT = 128;
    private static final int PR_SET_NAME = 15;
    private static final int PR_SET_DUMPABLE = 4;
    private static final long DEATH_WAIT_NANOS = 10_000_000_000L;

    private Zombies() {
    }

    /** Makes Z (created, traced and stopped, child of its traced parent) exit as it had; returns once it is a zombie. */
    static void die(Tracer tracer, ProcFs fs, ProcessPlan z) {
        int parent = z.ppid();
        long parentMask = tracer.sigmask(parent);
        tracer.setSigmask(parent, parentMask | SIGCHLD_BIT);
        int status = z.exitStatus();
        int signal = status & 0x7f;
        try (RemoteSyscalls r = tracer.remote(z.pid())) {
            Target t = new Target(r, z.pid());
            byte[] name = (z.comm() + "\0").getBytes(StandardCharsets.UTF_8);
            t.call("prctl(PR_SET_NAME)", RemoteSyscalls.SYS_PRCTL, PR_SET_NAME, t.put(name), 0, 0, 0);
            if (signal != 0) {
                // no core file for a death that already happened; the handler must be the default one
                t.call("prctl(PR_SET_DUMPABLE, 0)", RemoteSyscalls.SYS_PRCTL, PR_SET_DUMPABLE, 0, 0, 0, 0);
                long act = t.put(new byte[32]); // SIG_DFL, no flags, empty mask
                t.call("rt_sigaction(" + signal + ", SIG_DFL)", SYS_RT_SIGACTION, signal, act, 0, 8);
                long empty = t.put(new byte[8]);
                t.call("rt_sigprocmask(SIG_SETMASK, {})", SYS_RT_SIGPROCMASK, 2, empty, 0, 8);
            }
        }
        if (signal != 0) {
            tracer.releaseIntoSyscall(z.pid(), SYS_KILL, z.pid(), signal);
        } else {
            tracer.releaseIntoSyscall(z.pid(), SYS_EXIT_GROUP, (status >> 8) & 0xff);
        }
        long deadline = System.nanoTime() + DEATH_WAIT_NANOS;
        while (!PidHolder.zombie(fs, z.pid())) {
            if (System.nanoTime() > deadline || !fs.exists(z.pid())) {
                throw new RestoreException(Kind.INTERNAL, "process " + z.pid() + " did not become a zombie"
                        + (fs.exists(z.pid()) ? " within 10 s" : ": it was reaped"));
            }
            LockSupport.parkNanos(200_000);
        }
        try (RemoteSyscalls r = tracer.remote(parent)) {
            Target t = new Target(r, parent);
            long set = t.put(Target.le(24).putLong(SIGCHLD_BIT).putLong(0).putLong(0).array()); // sigset, then timespec 0
            long got = r.syscall(SYS_RT_SIGTIMEDWAIT, set, 0, set + 8, 8);
            if (got != SIGCHLD && got != -11 /* EAGAIN: none queued */) {
                throw new RestoreException(Kind.INTERNAL, "process " + parent + ": rt_sigtimedwait(SIGCHLD) gave " + got);
            }
        }
        tracer.setSigmask(parent, parentMask);
    }
}
