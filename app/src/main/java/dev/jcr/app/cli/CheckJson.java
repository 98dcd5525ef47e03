package dev.jcr.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.TreeReport;

/**
 * The JSON shapes of {@code jcr check --json} and {@code jcr ps --json} (documented in
 * docs/foundation.md). Field names are snake_case and never renamed; new fields may be added.
 */
final class CheckJson {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckJson() {
    }

    /** {"resource","kind","verdict","reason","option"} — option is null unless NEEDS_OPTION. */
    static ObjectNode assessment(Assessment a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("resource", a.resource());
        n.put("kind", a.kind().name());
        n.put("verdict", a.verdict().name());
        n.put("reason", a.reason());
        n.put("option", a.option());
        return n;
    }

    /** A report: pid, comm, verdict, checkpointable, options, and either all assessments or only blockers (ps). */
    static ObjectNode report(ProcessReport r, boolean all) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("pid", r.pid());
        n.put("comm", r.comm());
        n.put("verdict", r.verdict().name());
        n.put("checkpointable", r.checkpointable());
        ArrayNode opts = n.putArray("options");
        r.options().forEach(opts::add);
        ArrayNode list = n.putArray(all ? "assessments" : "blockers");
        for (Assessment a : all ? r.assessments() : r.blockers()) {
            list.add(assessment(a));
        }
        return n;
    }

    /**
     * One PID of {@code jcr check}: its own report (pid, comm, verdict, options, assessments) with
     * "checkpointable" the answer for the whole tree rooted there (what {@code jcr dump} does with the
     * options given), "cause" (PERMISSION | TRACED | UNSUPPORTED | null), "blockers" (every assessment
     * of the tree in the way, each with its pid and comm) and "descendants" (their reports). With ALL
     * (check -a) "assessments" holds every resource; without, only those that are not SUPPORTED (what
     * blocks or needs an option), as the text output lists them.
     */
    static ObjectNode tree(TreeReport t, boolean all) {
        ObjectNode n = assessments(report(t.rootReport(), true), t.rootReport(), all);
        n.put("checkpointable", t.checkpointable());
        ArrayNode opts = (ArrayNode) n.get("options");
        opts.removeAll();
        t.options().forEach(opts::add);
        n.put("cause", t.cause().map(Enum::name).orElse(null));
        ArrayNode blockers = n.putArray("blockers");
        for (TreeReport.Blocker b : t.blockers()) {
            ObjectNode a = MAPPER.createObjectNode();
            a.put("pid", b.pid());
            a.put("comm", b.comm());
            a.setAll(assessment(b.assessment()));
            a.put("cause", b.cause().name());
            if (b.cause() == TreeReport.Cause.TRACED) {
                a.put("tracer_pid", b.tracerPid());
            }
            blockers.add(a);
        }
        ArrayNode descendants = n.putArray("descendants");
        for (ProcessReport p : t.processes()) {
            if (p.pid() != t.root()) {
                ObjectNode d = assessments(report(p, true), p, all);
                d.remove("checkpointable");
                descendants.add(d);
            }
        }
        return n;
    }

    /** Keeps the "assessments" of N: every one with ALL, else those of R that are not SUPPORTED. */
    private static ObjectNode assessments(ObjectNode n, ProcessReport r, boolean all) {
        if (!all) {
            ArrayNode list = n.putArray("assessments");
            r.blockers().forEach(a -> list.add(assessment(a)));
        }
        return n;
    }
}
