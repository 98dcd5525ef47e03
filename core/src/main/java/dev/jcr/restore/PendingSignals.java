package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.SignalQueueEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Queues a restored task's pending signals again, each with the siginfo it was dumped with.
 *
 * <p>Why from inside the target: the kernel lets a task queue any siginfo (si_code SI_USER,
 * SI_KERNEL, SI_TKILL … included) only to itself; from jcr it would refuse every code that claims
 * the kernel or kill()/tgkill() as sender. So a thread queues its private signals with
 * rt_tgsigqueueinfo(tgid, its own tid, …) and the main thread queues the process-wide ones with
 * rt_sigqueueinfo(tgid, …). The caller sets the restored signal mask first, so a signal that was
 * blocked stays pending; order is kept (RT signals are delivered in queue order).
 */
final class PendingSignals {

    static final int SYS_RT_SIGQUEUEINFO = 129;
    static final int SYS_RT_TGSIGQUEUEINFO = 297;
    static final int SIGINFO_SIZE = 128;

    private PendingSignals() {
    }

    /** The problem with queue Q (siginfos of the wrong size or signal number), or null when it is fine. */
    static String check(SignalQueueEntry q) {
        for (SiginfoEntry s : q.getSignalsList()) {
            if (s.getSiginfo().size() != SIGINFO_SIZE) {
                return "a pending siginfo of " + s.getSiginfo().size() + " bytes (" + SIGINFO_SIZE + " expected)";
            }
            int signo = signo(s.getSiginfo().toByteArray());
            if (signo < 1 || signo > 64) {
                return "a pending signal number " + signo + " (1..64 expected)";
            }
        }
        return null;
    }

    /** Queues Q's signals to thread TID of process TGID (SHARED: to the whole process). */
    static int queue(Target t, int tgid, int tid, SignalQueueEntry q, boolean shared) {
        List<SiginfoEntry> all = q.getSignalsList();
        if (all.isEmpty()) {
            return 0;
        }
        long buf = t.remote().scratch(RemoteSyscalls.PAGE);
        for (SiginfoEntry s : all) {
            byte[] info = s.getSiginfo().toByteArray();
            int signo = signo(info);
            t.remote().write(buf, info);
            if (shared) {
                t.call("rt_sigqueueinfo(" + signo + ")", SYS_RT_SIGQUEUEINFO, tgid, signo, buf);
            } else {
                t.call("rt_tgsigqueueinfo(" + signo + ") of thread " + tid, SYS_RT_TGSIGQUEUEINFO, tgid, tid, signo, buf);
            }
        }
        return all.size();
    }

    static int signo(byte[] siginfo) {
        if (siginfo.length < 4) {
            throw new RestoreException(Kind.BAD_IMAGE, "siginfo of " + siginfo.length + " bytes");
        }
        return ByteBuffer.wrap(siginfo).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    }
}
