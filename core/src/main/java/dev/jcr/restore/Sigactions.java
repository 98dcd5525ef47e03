package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.SaEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Restores a process's signal actions with as few remote calls as the state allows. The process
 * starts with the seed's actions, which exec left all-default (handler SIG_DFL, no flags, no mask)
 * except for signals the seed inherited ignored or caught: /proc/PID/status names those (SigIgn,
 * SigCgt). An action is set only when the dumped one is not all-default or the current one is not
 * default; all dumped actions are written into the process in one go first, so each set is a single
 * remote rt_sigaction. Typically a handful of calls instead of 62.
 */
final class Sigactions {

    static final int SIZE = 32; // struct kernel_sigaction: handler, flags, restorer, mask

    private Sigactions() {
    }

    /** Signals 1..64 but SIGKILL and SIGSTOP, in the order the image lists their actions. */
    static int signalAt(int index) {
        int sig = index + 1;
        if (sig >= 9) {
            sig++;
        }
        if (sig >= 19) {
            sig++;
        }
        return sig;
    }

    /** Returns how many rt_sigaction calls it made. */
    static int restore(Target t, List<SaEntry> dumped, Path procRoot) {
        long nonDefault = nonDefaultNow(procRoot, t.pid());
        ByteBuffer all = Target.le(SIZE * dumped.size());
        long needed = 0;
        for (int i = 0; i < dumped.size() && i < 62; i++) {
            SaEntry sa = dumped.get(i);
            all.putLong(sa.getSigaction()).putLong(sa.getFlags()).putLong(sa.getRestorer()).putLong(sa.getMask());
            int sig = signalAt(i);
            boolean dumpedDefault = sa.getSigaction() == 0 && sa.getFlags() == 0 && sa.getRestorer() == 0
                    && sa.getMask() == 0;
            if (!dumpedDefault || (nonDefault & (1L << (sig - 1))) != 0) {
                needed |= 1L << i;
            }
        }
        if (needed == 0) {
            return 0;
        }
        long buf = t.remote().scratch(Math.max(SIZE * dumped.size(), dev.jcr.ptrace.RemoteSyscalls.PAGE));
        t.remote().write(buf, all.array());
        int calls = 0;
        for (int i = 0; i < dumped.size() && i < 62; i++) {
            if ((needed & (1L << i)) != 0) {
                int sig = signalAt(i);
                t.call("rt_sigaction(" + sig + ")", dev.jcr.ptrace.RemoteSyscalls.SYS_RT_SIGACTION, sig,
                        buf + (long) SIZE * i, 0, 8);
                calls++;
            }
        }
        return calls;
    }

    /** Signals (bit sig-1) whose action is not SIG_DFL in process PID right now: ignored or caught. */
    static long nonDefaultNow(Path procRoot, int pid) {
        Path status = procRoot.resolve(pid + "/status");
        long ign = -1;
        long cgt = -1;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    ign = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                } else if (line.startsWith("SigCgt:")) {
                    cgt = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new RestoreException(Kind.IO, "cannot read the signal state in " + status + ": " + e.getMessage());
        }
        if (ign == -1 || cgt == -1) {
            throw new RestoreException(Kind.IO, status + " has no SigIgn/SigCgt lines");
        }
        return ign | cgt;
    }
}
