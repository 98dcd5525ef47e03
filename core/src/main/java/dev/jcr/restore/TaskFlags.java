package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.ptrace.RemoteSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process flags kept in task_core: child subreaper (set by the process, by prctl) and
 * oom_score_adj (written by jcr to /proc/PID/oom_score_adj). Lowering oom_score_adj below what the
 * process inherited needs CAP_SYS_RESOURCE; without it the inherited (higher, i.e. less
 * privileged) value stays, as rlimits above the caller's are lowered: restore never grants more.
 */
final class TaskFlags {

    static final int PR_SET_CHILD_SUBREAPER = 36;

    private TaskFlags() {
    }

    static void restore(Target t, TaskCoreEntry tc, Path procRoot) {
        if (tc.getChildSubreaper()) {
            t.call("prctl(PR_SET_CHILD_SUBREAPER)", RemoteSyscalls.SYS_PRCTL, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
        if (tc.hasOomScoreAdj()) {
            Path f = procRoot.resolve(Integer.toString(t.pid())).resolve("oom_score_adj");
            try {
                int now = Integer.parseInt(Files.readString(f).strip());
                if (now != tc.getOomScoreAdj()) {
                    try {
                        Files.writeString(f, Integer.toString(tc.getOomScoreAdj()));
                    } catch (IOException denied) {
                        if (tc.getOomScoreAdj() > now) {
                            throw denied; // raising is always allowed: this is a real failure
                        }
                        // lowering needs CAP_SYS_RESOURCE: keep the inherited, less privileged value
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new RestoreException(Kind.IO, "process " + t.pid() + ": cannot set oom_score_adj "
                        + tc.getOomScoreAdj() + " in " + f + ": " + e.getMessage());
            }
        }
    }
}
