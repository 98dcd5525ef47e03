package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.CredsEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A thread's credentials: supplementary groups, real/effective/saved/filesystem user and group ids,
 * capability sets (bounding, permitted, effective, inheritable, ambient), securebits and no_new_privs.
 * A restored thread starts with the caller's credentials, so without this a process that had dropped
 * capabilities, or a daemon's worker that left root, would come back as root. Each set is
 * changed only where it differs from what the thread has now (read from /proc in jcr, no round
 * trip). Capability sets are intersected with the caller's (like rlimits: restore never grants more
 * than its caller has); groups or securebits the caller may not set fail as PERMISSION naming the
 * thread.
 *
 * <p>Ids change as CRIU changes them: with SECBIT_NO_SETUID_FIXUP set first, so that leaving uid 0
 * does not clear the capability sets the steps after it still need (CAP_SETGID, CAP_SETPCAP for the
 * bounding set and securebits); the image's securebits and capability sets are set after the ids.
 * Only a caller with CAP_SETUID and CAP_SETGID (root) gets that far: the plan refuses other ids for
 * anyone else.
 *
 * <p>Runs last in a thread's session: clone3 with set_tid, PR_SET_MM_MAP and timer ids need the
 * caller's capabilities, which this may drop. A change of ids also clears the parent-death signal
 * and the dumpable flag (commit_creds): {@link LateState} comes after it.
 */
final class Credentials {

    static final int SYS_CAPSET = 126;
    static final int SYS_SETGROUPS = 116;
    static final int PR_CAPBSET_DROP = 24;
    static final int PR_GET_SECUREBITS = 27;
    static final int PR_SET_SECUREBITS = 28;
    static final int PR_SET_NO_NEW_PRIVS = 38;
    static final int PR_CAP_AMBIENT = 47;
    static final int CAP_AMBIENT_RAISE = 2;
    static final int CAP_AMBIENT_CLEAR_ALL = 4;
    static final int CAPABILITY_VERSION_3 = 0x20080522;
    static final int SYS_SETRESUID = 117;
    static final int SYS_SETRESGID = 119;
    static final int SYS_SETFSUID = 122;
    static final int SYS_SETFSGID = 123;
    static final int SECBIT_NO_SETUID_FIXUP = 1 << 2;

    private Credentials() {
    }

    static void restore(Target t, int tid, CredsEntry c, Path procRoot) {
        Status now = Status.read(procRoot.resolve(Integer.toString(tid)).resolve("status"), tid);
        RemoteSyscalls r = t.remote();
        long buf = r.scratch(RemoteSyscalls.PAGE);
        int[] groups = c.getGroupsList().stream().mapToInt(Integer::intValue).sorted().toArray();
        if (!Arrays.equals(groups, now.groups())) {
            ByteBuffer g = Target.le(4 * Math.max(groups.length, 1));
            for (int i = 0; i < groups.length; i++) {
                g.putInt(4 * i, groups[i]);
            }
            r.write(buf, g.array());
            check(tid, r.syscall(SYS_SETGROUPS, groups.length, buf), "supplementary groups " + Arrays.toString(groups));
        }
        int[] uids = {c.getUid(), c.getEuid(), c.getSuid(), c.hasFsuid() ? c.getFsuid() : c.getEuid()};
        int[] gids = {c.getGid(), c.getEgid(), c.getSgid(), c.hasFsgid() ? c.getFsgid() : c.getEgid()};
        boolean idsChange = !Arrays.equals(uids, now.uids()) || !Arrays.equals(gids, now.gids());
        if (idsChange) {
            long bits = r.syscall(RemoteSyscalls.SYS_PRCTL, PR_GET_SECUREBITS, 0, 0, 0, 0);
            check(tid, bits, "securebits");
            check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_SET_SECUREBITS, bits | SECBIT_NO_SETUID_FIXUP, 0, 0, 0),
                    "securebits with SECBIT_NO_SETUID_FIXUP");
            // groups first: once the uid is not 0, CAP_SETGID is kept only by the bit above
            check(tid, r.syscall(SYS_SETRESGID, gids[0], gids[1], gids[2]), "gids " + Arrays.toString(gids));
            r.syscall(SYS_SETFSGID, gids[3]); // answers the old fsgid, never an error
            check(tid, r.syscall(SYS_SETRESUID, uids[0], uids[1], uids[2]), "uids " + Arrays.toString(uids));
            r.syscall(SYS_SETFSUID, uids[3]);
        }
        // never more than the thread has now (the caller's): a capability the caller lacks is left out
        long bnd = caps(c.getCapBndList(), now.bnd()) & now.bnd();
        for (int cap = 0; cap < 64; cap++) {
            if ((now.bnd() & (1L << cap)) != 0 && (bnd & (1L << cap)) == 0) {
                check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_CAPBSET_DROP, cap, 0, 0, 0), "a bounding set without capability " + cap);
            }
        }
        if ((idsChange || c.getSecbits() != 0)
                && r.syscall(RemoteSyscalls.SYS_PRCTL, PR_GET_SECUREBITS, 0, 0, 0, 0) != c.getSecbits()) {
            check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_SET_SECUREBITS, c.getSecbits(), 0, 0, 0),
                    "securebits 0x" + Integer.toHexString(c.getSecbits()));
        }
        long prm = caps(c.getCapPrmList(), now.prm()) & now.prm();
        long eff = caps(c.getCapEffList(), now.eff()) & prm;
        // capset lets a thread put into its inheritable set what it has there or in its permitted set:
        // a fresh thread's inheritable set is empty, so intersecting with it alone lost every one (and
        // with them the ambient set, which must be permitted and inheritable)
        long inh = caps(c.getCapInhList(), now.inh()) & (now.inh() | now.prm());
        long amb = caps(c.getCapAmbList(), now.amb()) & prm & inh;
        if (amb != now.amb()) {
            check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_CAP_AMBIENT, CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "no ambient capabilities");
        }
        if (prm != now.prm() || eff != now.eff() || inh != now.inh()) {
            ByteBuffer h = Target.le(32).putInt(0, CAPABILITY_VERSION_3).putInt(4, 0)
                    .putInt(8, (int) eff).putInt(12, (int) prm).putInt(16, (int) inh)
                    .putInt(20, (int) (eff >>> 32)).putInt(24, (int) (prm >>> 32)).putInt(28, (int) (inh >>> 32));
            r.write(buf, h.array());
            check(tid, r.syscall(SYS_CAPSET, buf, buf + 8), String.format("capabilities prm %x eff %x inh %x", prm, eff, inh));
        }
        if (amb != now.amb()) {
            for (int cap = 0; cap < 64; cap++) {
                if ((amb & (1L << cap)) != 0) {
                    check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_CAP_AMBIENT, CAP_AMBIENT_RAISE, cap, 0, 0),
                            "ambient capability " + cap);
                }
            }
        }
        if (c.getNoNewPrivs() != 0) {
            check(tid, r.syscall(RemoteSyscalls.SYS_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
        }
    }

    /** A capability set from its image words (low, high); NOW when the image has none. */
    private static long caps(List<Integer> words, long now) {
        if (words.isEmpty()) {
            return now;
        }
        long v = Integer.toUnsignedLong(words.get(0));
        if (words.size() > 1) {
            v |= Integer.toUnsignedLong(words.get(1)) << 32;
        }
        return v;
    }

    private static void check(int tid, long rc, String what) {
        if (rc == -1 || rc == -13) {
            throw new RestoreException(Kind.PERMISSION, "thread " + tid + ": jcr may not give it " + what
                    + " (restore grants only what its caller may set)");
        }
        if (rc < 0 && rc >= -4095) {
            throw new RestoreException(Kind.IO, "thread " + tid + ": setting " + what + " failed: errno " + -rc);
        }
    }

    /** The credential lines of /proc/TID/status. */
    record Status(long inh, long prm, long eff, long bnd, long amb, int[] groups, int[] uids, int[] gids) {
        static Status read(Path status, int tid) {
            long[] caps = new long[5];
            int[] groups = new int[0];
            int[] uids = new int[4];
            int[] gids = new int[4];
            try {
                for (String line : Files.readAllLines(status)) {
                    String v = line.substring(line.indexOf(':') + 1).trim();
                    switch (line.substring(0, Math.max(line.indexOf(':'), 0))) {
                        case "Uid" -> uids = Arrays.stream(v.split("\\s+")).mapToInt(Integer::parseUnsignedInt).toArray();
                        case "Gid" -> gids = Arrays.stream(v.split("\\s+")).mapToInt(Integer::parseUnsignedInt).toArray();
                        case "CapInh" -> caps[0] = Long.parseUnsignedLong(v, 16);
                        case "CapPrm" -> caps[1] = Long.parseUnsignedLong(v, 16);
                        case "CapEff" -> caps[2] = Long.parseUnsignedLong(v, 16);
                        case "CapBnd" -> caps[3] = Long.parseUnsignedLong(v, 16);
                        case "CapAmb" -> caps[4] = Long.parseUnsignedLong(v, 16);
                        case "Groups" -> groups = v.isEmpty() ? new int[0]
                                : Arrays.stream(v.split("\\s+")).mapToInt(Integer::parseInt).sorted().toArray();
                        default -> {
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new RestoreException(Kind.IO, "thread " + tid + ": cannot read " + status + ": " + e.getMessage());
            }
            return new Status(caps[0], caps[1], caps[2], caps[3], caps[4], groups, uids, gids);
        }
    }
}
