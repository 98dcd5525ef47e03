package dev.jcr.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.app.ExitCode;
import dev.jcr.kernel.KernelFeatures;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.Self;
import dev.jcr.resource.Options;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
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
 * {@code jcr check PID…}: can the tree rooted at each PID be checkpointed, and if not, why. The answer
 * is the dump engine's own ({@link TreeCheck}: the drivers asked about every process of the tree, the
 * options given applied), so {@code jcr check} says checkpointable exactly when {@code jcr dump} would
 * go ahead. Exit 0 when all can, 1 when some cannot (whatever the reason: an unsupported resource, a
 * foreign tracer, a descendant jcr may not read); 3 / 4 when a PID does not exist or may not be read
 * (raised as typed exceptions, mapped by Main).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Tell whether a process tree can be checkpointed, and why not.",
                "%nThe tree rooted at each PID (the process and its descendants: what jcr dump takes) gets the dump's"
                        + " own check. Every resource in the way is listed with its reason, grouped by kind.",
                "%n--kernel: what this kernel supports for checkpoint/restore (each feature tried, not guessed)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every tree can be checkpointed", "1:some cannot", "2:usage error (e.g. not a PID)",
                "3:no such process", "4:permission denied"})
public final class Check implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // read as text and converted in call(): an optional positional list (PIDs may be absent with --kernel)
    // would make picocli call a bad PID an unmatched argument instead of saying it is not a PID
    @Parameters(arity = "0..*", paramLabel = "PID", description = "the root of a tree to check (several may be given)")
    List<String> pidArgs = new ArrayList<>();

    @Option(names = "--kernel", description = "what this kernel supports for checkpoint/restore (write tracking, clone3 set_tid …)")
    boolean kernel;

    @Option(names = "--json", description = "machine-readable output (see docs)")
    boolean json;

    @Option(names = {"-a", "--all"}, description = "list supported resources too, not only blockers")
    boolean all;

    @Option(names = "--shell-job", description = "count resources that need --shell-job as checkpointable")
    boolean shellJob;

    @Option(names = "--tcp-established", description = "count TCP connections with a peer outside the tree as"
            + " checkpointable (as jcr dump --tcp-established)")
    boolean tcpEstablished;

    @Option(names = "--tcp-close", description = "count TCP connections as checkpointable closed (as jcr dump --tcp-close)")
    boolean tcpClose;

    @Option(names = "--ext-unix-sk", description = "count unix sockets that need --ext-unix-sk as checkpointable")
    boolean extUnixSk;

    @Option(names = "--ghost-limit", paramLabel = "SIZE", converter = ByteSize.class,
            description = "count deleted files up to SIZE as checkpointable (what jcr dump --ghost-limit saves)")
    Long ghostLimit;

    private final TreeCheck trees;

    public Check() {
        this(null);
    }

    /** With TREES (tests); null: the system's processes, judged by the standard drivers with the --ghost-limit given. */
    Check(TreeCheck trees) {
        this.trees = trees;
    }

    private TreeCheck trees() {
        if (trees != null) {
            return trees;
        }
        if (ghostLimit == null) {
            return TreeCheck.system();
        }
        ProcFs fs = ProcFs.system();
        DriverTable drivers = DriverTable.standard(ghostLimit);
        return new TreeCheck(fs, new Analyzer(fs, drivers, Self.of(fs)));
    }

    @Override
    public Integer call() throws JsonProcessingException {
        List<Long> pids = new ArrayList<>();
        for (String a : pidArgs) {
            try {
                pids.add(new PidConverter().convert(a));
            } catch (PidConverter.NotAPid e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (pids.isEmpty() && !kernel) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'PID' (or --kernel)");
        }
        if (kernel) {
            printKernel(spec.commandLine().getOut());
            if (pids.isEmpty()) {
                return ExitCode.OK.code;
            }
        }
        Set<String> options = new java.util.LinkedHashSet<>();
        if (shellJob) {
            options.add(Options.SHELL_JOB);
        }
        if (tcpEstablished) {
            options.add(Options.TCP_ESTABLISHED);
        }
        if (tcpClose) {
            options.add(Options.TCP_CLOSE);
        }
        if (extUnixSk) {
            options.add(Options.EXT_UNIX_SK);
        }
        List<TreeReport> reports = new ArrayList<>();
        TreeCheck trees = trees();
        // check all first: a missing pid fails the command before anything is printed
        for (long pid : new LinkedHashSet<>(pids)) {
            reports.add(trees.check(pid, options));
        }
        boolean allOk = reports.stream().allMatch(TreeReport::checkpointable);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = CheckJson.MAPPER.createObjectNode();
            root.put("checkpointable", allOk);
            ArrayNode list = root.putArray("processes");
            reports.forEach(r -> list.add(CheckJson.tree(r, all)));
            out.println(CheckJson.MAPPER.writeValueAsString(root));
        } else {
            reports.forEach(r -> printText(out, r));
        }
        out.flush();
        return allOk ? ExitCode.OK.code : ExitCode.NEGATIVE.code;
    }

    private void printKernel(PrintWriter out) throws JsonProcessingException {
        List<KernelFeatures.Feature> features = KernelFeatures.probe();
        if (json) {
            ObjectNode root = CheckJson.MAPPER.createObjectNode();
            root.put("kernel", KernelFeatures.kernel());
            ArrayNode list = root.putArray("features");
            for (KernelFeatures.Feature f : features) {
                list.addObject().put("name", f.name()).put("supported", f.ok()).put("detail", f.detail()).put("use", f.use());
            }
            out.println(CheckJson.MAPPER.writeValueAsString(root));
        } else {
            out.println("kernel " + KernelFeatures.kernel());
            for (KernelFeatures.Feature f : features) {
                out.println((f.ok() ? "  yes  " : "  no   ") + f.name() + ": " + f.detail());
                out.println("         " + f.use());
            }
        }
        out.flush();
    }

    private void printText(PrintWriter out, TreeReport t) {
        ProcessReport r = t.rootReport();
        int others = t.processes().size() - 1;
        String tree = others == 0 ? "" : " with " + others + (others == 1 ? " descendant" : " descendants");
        String head = r.pid() + " (" + r.comm() + ")" + tree + ": ";
        if (t.onlyOptionsMissing()) {
            out.println(head + (t.options().isEmpty() ? "checkpointable" : "checkpointable with " + String.join(" ", t.options())));
        } else {
            out.println(head + "not checkpointable (" + BlockerText.blockerCount(t) + t.first(TreeReport.Cause.TRACED)
                    .map(b -> "; pid " + b.pid() + " is traced by pid " + b.tracerPid()).orElse("") + ")");
        }
        (all ? BlockerText.all(t) : BlockerText.blockers(t)).forEach(out::println);
    }
}
