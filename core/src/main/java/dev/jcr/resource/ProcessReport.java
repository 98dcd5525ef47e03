package dev.jcr.resource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The analysis of one process: every assessment (process-level blockers first, then fds, memory,
 * threads, signals) and the overall verdict, which is the worst of them.
 */
public record ProcessReport(long pid, String comm, Verdict verdict, List<Assessment> assessments) {

    public ProcessReport {
        assessments = List.copyOf(assessments);
    }

    public static ProcessReport of(long pid, String comm, List<Assessment> assessments) {
        Verdict v = Verdict.SUPPORTED;
        for (Assessment a : assessments) {
            v = v.worst(a.verdict());
        }
        return new ProcessReport(pid, comm, v, assessments);
    }

    /** The assessments that are not SUPPORTED, in report order. */
    public List<Assessment> blockers() {
        return assessments.stream().filter(a -> a.verdict() != Verdict.SUPPORTED).toList();
    }

    /** The options every NEEDS_OPTION assessment asks for, without repeats. */
    public Set<String> options() {
        Set<String> out = new LinkedHashSet<>();
        for (Assessment a : assessments) {
            if (a.option() != null) {
                out.add(a.option());
            }
        }
        return out;
    }

    public boolean checkpointable() {
        return verdict == Verdict.SUPPORTED;
    }
}
