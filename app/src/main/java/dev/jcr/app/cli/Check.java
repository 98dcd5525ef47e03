package dev.jcr.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.app.ExitCode;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.Options;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcr check PID…}: can these processes be checkpointed, and if not, why. Exit 0 when all
 * can (with the options given), 1 when some cannot; 3 / 4 when a process does not exist or may not
 * be read (raised as typed exceptions, mapped by Main).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Tell, per process and per resource, whether it can be checkpointed and why not.",
                "Exit status: 0 all checkpointable, 1 some not, 2 usage, 3 no such process, 4 permission."})
public final class Check implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PID", description = "process ids")
    List<Long> pids = new ArrayList<>();

    @Option(names = "--json", description = "machine-readable output (see docs)")
    boolean json;

    @Option(names = {"-a", "--all"}, description = "list supported resources too, not only blockers")
    boolean all;

    @Option(names = "--shell-job", description = "count resources that need --shell-job as checkpointable")
    boolean shellJob;

    private final ProcFs fs;

    public Check() {
        this(ProcFs.system());
    }

    Check(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        for (long pid : pids) {
            if (pid <= 0) {
                throw new ParameterException(spec.commandLine(), "PID must be a positive number, not " + pid);
            }
        }
        Analyzer analyzer = new Analyzer(fs);
        Set<Long> seen = new LinkedHashSet<>(pids);
        List<ProcessReport> reports = new ArrayList<>();
        // analyse all first: a missing pid fails the command before anything is printed
        for (long pid : seen) {
            reports.add(analyzer.analyze(pid));
        }
        boolean allOk = reports.stream().allMatch(this::acceptable);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = CheckJson.MAPPER.createObjectNode();
            root.put("checkpointable", allOk);
            ArrayNode list = root.putArray("processes");
            reports.forEach(r -> list.add(CheckJson.report(r, true)));
            out.println(CheckJson.MAPPER.writeValueAsString(root));
        } else {
            reports.forEach(r -> printText(out, r));
        }
        out.flush();
        return allOk ? ExitCode.OK.code : ExitCode.NEGATIVE.code;
    }

    private boolean acceptable(ProcessReport r) {
        if (r.verdict() == Verdict.SUPPORTED) {
            return true;
        }
        if (r.verdict() == Verdict.NEEDS_OPTION) {
            Set<String> given = shellJob ? Set.of(Options.SHELL_JOB) : Set.of();
            return given.containsAll(r.options());
        }
        return false;
    }

    private void printText(PrintWriter out, ProcessReport r) {
        String head = r.pid() + " (" + r.comm() + "): ";
        List<Assessment> blockers = r.blockers();
        switch (r.verdict()) {
            case SUPPORTED -> out.println(head + "checkpointable");
            case NEEDS_OPTION -> out.println(head + "checkpointable with " + String.join(" ", r.options()));
            case UNSUPPORTED -> out.println(head + "not checkpointable ("
                    + blockers.size() + (blockers.size() == 1 ? " blocker)" : " blockers)"));
        }
        for (Assessment a : all ? r.assessments() : blockers) {
            String mark = switch (a.verdict()) {
                case SUPPORTED -> "  ok   ";
                case NEEDS_OPTION -> "  opt  ";
                case UNSUPPORTED -> "  no   ";
            };
            out.println(mark + a.message() + (a.option() != null ? " [" + a.option() + "]" : ""));
        }
    }
}
