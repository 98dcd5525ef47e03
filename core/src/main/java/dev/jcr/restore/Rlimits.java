package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.RlimitEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores a process's resource limits. The current limits (the seed's, i.e. jcr's) come from
 * /proc/PID/limits in one read; only limits that differ from the dumped ones are set, each by one
 * remote prlimit64 with all new values written into the process in one go. A hard limit above the
 * current one is lowered to it: without CAP_SYS_RESOURCE nothing may be raised, and jcr gains no
 * privilege by restoring.
 */
final class Rlimits {

    static final long INFINITY = -1L;

    private Rlimits() {
    }

    /** One limit as the kernel holds it (RLIM_INFINITY = -1). */
    record Limit(long soft, long hard) {
    }

    /** Returns how many prlimit64 calls it made. */
    static int restore(Target t, List<RlimitEntry> dumped, Path procRoot) {
        List<Limit> now = current(procRoot, t.pid());
        int n = Math.min(dumped.size(), now.size());
        ByteBuffer all = Target.le(16 * n);
        long needed = 0;
        for (int res = 0; res < n; res++) {
            Limit want = target(dumped.get(res), now.get(res));
            all.putLong(want.soft()).putLong(want.hard());
            if (!want.equals(now.get(res))) {
                needed |= 1L << res;
            }
        }
        if (needed == 0) {
            return 0;
        }
        long buf = t.remote().scratch(dev.jcr.ptrace.RemoteSyscalls.PAGE);
        t.remote().write(buf, all.array());
        int calls = 0;
        for (int res = 0; res < n; res++) {
            if ((needed & (1L << res)) != 0) {
                t.call("prlimit64 set " + res, Target.SYS_PRLIMIT64, 0, res, buf + 16L * res, 0);
                calls++;
            }
        }
        return calls;
    }

    /** The dumped limit E, its hard limit lowered to the current hard limit where it is above it. */
    static Limit target(RlimitEntry e, Limit now) {
        long max = Long.compareUnsigned(e.getMax(), now.hard()) > 0 ? now.hard() : e.getMax();
        long soft = Long.compareUnsigned(e.getCur(), max) > 0 ? max : e.getCur();
        return new Limit(soft, max);
    }

    /** The limits of process PID in resource order (RLIMIT_CPU = 0 …), from /proc/PID/limits. */
    static List<Limit> current(Path procRoot, int pid) {
        Path file = procRoot.resolve(pid + "/limits");
        List<Limit> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            // "Limit" header, then one line per resource: a 25-column name, soft, hard, units
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.substring(Math.min(25, line.length())).trim().split("\\s+");
                out.add(new Limit(value(f[0]), value(f[1])));
            }
        } catch (IOException | RuntimeException e) {
            throw new RestoreException(Kind.IO, "cannot read the resource limits in " + file + ": " + e.getMessage());
        }
        return out;
    }

    private static long value(String s) {
        return s.equals("unlimited") ? INFINITY : Long.parseUnsignedLong(s);
    }
}
