package dev.jcr.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.app.ExitCode;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ProcessReport;
import dev.jcr.resource.Verdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jcr ps}: the live process tree with a checkpoint/restore verdict per process. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List processes with their checkpoint/restore verdict.",
                "%nThe C/R column says yes (checkpointable), opt (checkpointable with an option such as --shell-job)"
                        + " or no; 'jcr check PID' tells why."})
public final class Ps implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--tree"}, description = "show children under their parents")
    boolean tree;

    @Option(names = "--json", description = "machine-readable output (see docs)")
    boolean json;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "only processes of USER (name or uid)")
    String user;

    @Option(names = {"-w", "--wide"}, description = {"never cut lines (by default a line is cut to COLUMNS or, on",
            "a terminal, to its width)"})
    boolean wide;

    @Option(names = "--timing", hidden = true, description = "print scan/analysis/render times to stderr")
    boolean timing;

    private final ProcFs fs;

    public Ps() {
        this(ProcFs.system());
    }

    Ps(ProcFs fs) {
        this.fs = fs;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PsUsers users = PsUsers.load();
        Long uid = null;
        if (user != null) {
            uid = users.uidOf(user);
            if (uid == null) {
                throw new ParameterException(spec.commandLine(), "no such user: " + user);
            }
        }
        long t0 = System.nanoTime();
        ProcessTree all = ProcessTree.scan(fs);
        long t1 = System.nanoTime();
        ProcessTree shown = all;
        if (uid != null) {
            long u = uid;
            shown = ProcessTree.of(all.all().stream().filter(p -> p.uids().effective() == u).toList());
        }
        Map<Long, ProcessReport> reports = new Analyzer(fs).analyzeAll(shown);
        long t2 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = CheckJson.MAPPER.createObjectNode();
            ArrayNode list = root.putArray("processes");
            List<ProcessInfo> top = tree ? shown.roots() : shown.all();
            for (ProcessInfo p : top) {
                if (reports.containsKey(p.pid())) {
                    list.add(json(p, shown, reports, users));
                }
            }
            out.println(CheckJson.MAPPER.writeValueAsString(root));
        } else {
            int width = wide ? PsWidth.UNLIMITED : PsWidth.detect();
            out.println(PsFormat.cut(String.format("%7s %7s %-8s %s %4s %5s %-4s %s", "PID", "PPID", "USER", "S", "THR",
                    "RSS", "C/R", "COMMAND"), width));
            if (tree) {
                for (ProcessInfo r : shown.roots()) {
                    printTree(out, r, 0, shown, reports, users, width);
                }
            } else {
                for (ProcessInfo p : shown.all()) {
                    printRow(out, p, 0, reports, users, width);
                }
            }
        }
        out.flush();
        long t3 = System.nanoTime();
        if (timing) {
            spec.commandLine().getErr().printf("timing: scan %.1f ms (%d processes), analysis %.1f ms, render %.1f ms%n",
                    (t1 - t0) / 1e6, all.size(), (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            spec.commandLine().getErr().flush();
        }
        return ExitCode.OK.code;
    }

    private void printTree(PrintWriter out, ProcessInfo p, int depth, ProcessTree t, Map<Long, ProcessReport> reports,
            PsUsers users, int width) {
        printRow(out, p, depth, reports, users, width);
        for (ProcessInfo c : t.children(p.pid())) {
            printTree(out, c, depth + 1, t, reports, users, width);
        }
    }

    private static void printRow(PrintWriter out, ProcessInfo p, int depth, Map<Long, ProcessReport> reports,
            PsUsers users, int width) {
        ProcessReport r = reports.get(p.pid());
        if (r == null) {
            return; // exited while we looked
        }
        String indent = depth == 0 ? "" : "  ".repeat(depth - 1) + "\\_ ";
        // cut after formatting, as ps does: a huge command line (a JSON environment, a classpath) takes
        // one screen line instead of a screenful
        out.println(PsFormat.cut(String.format("%7d %7d %-8s %s %4d %5s %-4s %s", p.pid(), p.ppid(),
                users.nameOf(p.uids().effective()), p.state() == null ? "?" : String.valueOf(p.state().code()),
                p.threads(), PsFormat.humanBytes(p.rssBytes()), column(r.verdict()), indent + p.commandLine()), width));
    }

    /** The C/R column: yes, opt or no. */
    static String column(Verdict v) {
        return switch (v) {
            case SUPPORTED -> "yes";
            case NEEDS_OPTION -> "opt";
            case UNSUPPORTED -> "no";
        };
    }

    private ObjectNode json(ProcessInfo p, ProcessTree t, Map<Long, ProcessReport> reports, PsUsers users) {
        ProcessReport r = reports.get(p.pid());
        ObjectNode n = CheckJson.MAPPER.createObjectNode();
        n.put("pid", p.pid());
        n.put("ppid", p.ppid());
        n.put("pgid", p.pgid());
        n.put("sid", p.sid());
        n.put("uid", p.uids().effective());
        n.put("user", users.nameOf(p.uids().effective()));
        n.put("state", p.state() == null ? "?" : String.valueOf(p.state().code()));
        n.put("threads", p.threads());
        n.put("rss_bytes", p.rssBytes());
        n.put("vsz_bytes", p.vszBytes());
        n.put("start_time_ticks", p.startTimeTicks());
        n.put("tty", p.ttyName());
        n.put("tracer_pid", p.tracerPid());
        n.put("kernel_thread", p.kernelThread());
        n.put("comm", p.comm());
        ArrayNode argv = n.putArray("cmdline");
        p.cmdline().forEach(argv::add);
        n.put("verdict", r.verdict().name());
        ArrayNode opts = n.putArray("options");
        r.options().forEach(opts::add);
        ArrayNode blockers = n.putArray("blockers");
        for (Assessment a : r.blockers()) {
            blockers.add(CheckJson.assessment(a));
        }
        if (tree) {
            ArrayNode kids = n.putArray("children");
            for (ProcessInfo c : t.children(p.pid())) {
                if (reports.containsKey(c.pid())) {
                    kids.add(json(c, t, reports, users));
                }
            }
        }
        return n;
    }
}
