package dev.jcr.resource;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The init of a PID namespace is never checkpointed: pid 1 (of the machine, or of the container jcr
 * runs in) holds every other process up, and the init of a namespace below jcr's (a container seen
 * from outside, NSpid ending in 1) would mean checkpointing that whole namespace. Said plainly before
 * anything else is read, rather than as the permission puzzle that reading pid 1 ends in (it holds
 * capabilities jcr lacks) or as a scan of every process of the machine.
 */
final class InitProcess {

    private InitProcess() {
    }

    /** A report refusing PID with the reason, when PID is the init of a PID namespace. */
    static Optional<TreeReport> refusal(ProcFs fs, long pid) {
        Optional<String> why = why(fs, pid);
        if (why.isEmpty()) {
            return Optional.empty();
        }
        ProcessInfo p = fs.process(pid);
        Assessment a = Assessment.unsupported("process", ResourceKind.PROCESS, why.get());
        return Optional.of(new TreeReport(pid, List.of(ProcessReport.of(pid, p.comm(), List.of(a))),
                List.of(new TreeReport.Blocker(pid, p.comm(), a, TreeReport.Cause.UNSUPPORTED, p.tracerPid())), Set.of()));
    }

    static Optional<String> why(ProcFs fs, long pid) {
        if (pid == 1) {
            return Optional.of("it is the init of the machine (or of the container jcr runs in): every other"
                    + " process depends on it; dump a process below it instead");
        }
        if (!fs.exists(pid)) {
            return Optional.empty(); // the analysis says "no such process"
        }
        String status = fs.read(pid, fs.dir(pid).resolve("status"));
        for (String line : status.split("\n")) {
            if (line.startsWith("NSpid:")) {
                String[] ids = line.substring(6).trim().split("\\s+");
                if (ids.length > 1 && ids[ids.length - 1].equals("1")) {
                    return Optional.of("it is the init (pid 1) of a PID namespace below jcr's (a container's, say):"
                            + " checkpointing a whole PID namespace is not supported yet");
                }
            }
        }
        return Optional.empty();
    }
}
