package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.PosixTimerEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Recreates a process's POSIX timers inside it, with the ids they had (a program holds its timer_t,
 * which is the kernel's id), the same clock and sigevent, armed with the time that was left and the
 * same interval.
 *
 * <p>Ids: since Linux 6.17 prctl(PR_TIMER_CREATE_RESTORE_IDS, ON) (which needs
 * CAP_CHECKPOINT_RESTORE) makes timer_create take the id to use from its timer_t argument, so each
 * timer gets its id directly. Otherwise the ids
 * come from a per-process counter: timers are created in id order and the ones that land on ids
 * in between (ids the process had deleted) are created too and deleted at the end.
 *
 * <p>Not restored: the overrun count (the kernel has no call that sets it).
 */
final class PosixTimers {

    static final int SYS_TIMER_CREATE = 222;
    static final int SYS_TIMER_SETTIME = 223;
    static final int SYS_TIMER_DELETE = 226;
    static final int PR_TIMER_CREATE_RESTORE_IDS = 77;
    static final int SIGEV_THREAD_ID = 4;
    /** Gaps filled one timer at a time on old kernels; more than this is not worth thousands of round trips. */
    private static final int MAX_GAP = 4096;

    private PosixTimers() {
    }

    /** The problem with TIMERS of a process with threads TIDS, or null. */
    static String check(List<PosixTimerEntry> timers, Set<Integer> tids) {
        Set<Integer> ids = new java.util.HashSet<>();
        for (PosixTimerEntry e : timers) {
            if (!ids.add(e.getItId()) || e.getItId() < 0) {
                return "POSIX timer id " + e.getItId() + " is negative or appears twice";
            }
            if ((e.getItSigevNotify() & SIGEV_THREAD_ID) != 0 && !tids.contains(e.getNotifyThreadId())) {
                return "POSIX timer " + e.getItId() + " signals thread " + e.getNotifyThreadId()
                        + ", which is not a thread of the process";
            }
            if (Long.compareUnsigned(e.getInsec(), 999_999_999) > 0 || Long.compareUnsigned(e.getVnsec(), 999_999_999) > 0) {
                return "POSIX timer " + e.getItId() + " has nanoseconds above 999999999";
            }
        }
        return null;
    }

    /** Creates and arms TIMERS in the process T drives (every thread a timer signals must exist). */
    static void restore(Target t, List<PosixTimerEntry> timers) {
        if (timers.isEmpty()) {
            return;
        }
        List<PosixTimerEntry> sorted = new ArrayList<>(timers);
        sorted.sort(Comparator.comparingInt(PosixTimerEntry::getItId));
        RemoteSyscalls r = t.remote();
        long buf = r.scratch(RemoteSyscalls.PAGE);
        long sev = buf;
        long idOut = buf + 64;
        long spec = buf + 128;
        // EINVAL on kernels before 6.17, EPERM without CAP_CHECKPOINT_RESTORE: then ids come in order
        boolean explicit = r.syscall(RemoteSyscalls.SYS_PRCTL, PR_TIMER_CREATE_RESTORE_IDS, 1, 0, 0, 0) == 0;
        List<Integer> gaps = new ArrayList<>();
        for (PosixTimerEntry e : sorted) {
            r.write(sev, Target.le(64).putLong(0, e.getSivalPtr()).putInt(8, e.getSiSigno())
                    .putInt(12, e.getItSigevNotify()).putInt(16, e.getNotifyThreadId()).array());
            String what = "timer_create(id " + e.getItId() + ", clock " + e.getClockId() + ")";
            if (explicit) {
                r.write(idOut, Target.le(4).putInt(0, e.getItId()).array());
                t.call(what, SYS_TIMER_CREATE, e.getClockId(), sev, idOut);
                requireId(t, e, ByteBuffer.wrap(r.read(idOut, 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
            } else {
                int got;
                int tries = 0;
                do {
                    t.call(what, SYS_TIMER_CREATE, e.getClockId(), sev, idOut);
                    got = ByteBuffer.wrap(r.read(idOut, 4)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
                    if (got < e.getItId()) {
                        gaps.add(got);
                    }
                } while (got < e.getItId() && ++tries < MAX_GAP);
                requireId(t, e, got);
            }
            if (e.getVsec() != 0 || e.getVnsec() != 0) {
                r.write(spec, Target.le(32).putLong(0, e.getIsec()).putLong(8, e.getInsec()).putLong(16, e.getVsec())
                        .putLong(24, e.getVnsec()).array());
                t.call("timer_settime(" + e.getItId() + ")", SYS_TIMER_SETTIME, e.getItId(), 0, spec, 0);
            }
        }
        if (explicit) {
            t.call("prctl(PR_TIMER_CREATE_RESTORE_IDS, OFF)", RemoteSyscalls.SYS_PRCTL, PR_TIMER_CREATE_RESTORE_IDS, 0, 0, 0, 0);
        }
        for (int id : gaps) {
            t.call("timer_delete(" + id + ")", SYS_TIMER_DELETE, id);
        }
    }

    private static void requireId(Target t, PosixTimerEntry e, int got) {
        if (got != e.getItId()) {
            throw new RestoreException(Kind.UNSUPPORTED, "process " + t.pid() + ": POSIX timer " + e.getItId()
                    + " came back with id " + got + " (this kernel cannot choose timer ids)");
        }
    }
}
