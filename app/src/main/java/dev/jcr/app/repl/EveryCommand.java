package dev.jcr.app.repl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Stack;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code every INTERVAL [--count N] [--keep K] COMMAND…}: periodic runs of a command, the headline
 * being periodic checkpoints of a long job with old images pruned.
 */
@Command(name = "every", mixinStandardHelpOptions = true,
        description = {
                "Run a command again and again, such as periodic dumps.",
                "%nRuns COMMAND every INTERVAL until --count runs are done, the target process (the command's PID"
                        + " argument) exits, a run fails (unless --keep-going) or Ctrl-C; then reports what it did.",
                "%nIn COMMAND, {n} becomes the run's number (skipping numbers whose path exists) and {time} the local"
                        + " time (yyyyMMdd-HHmmss).",
                "%nExample: every 10m --keep 3 dump $pid -D /ckpt/job-{n} (a dump every ten minutes, the three newest kept)."},
        footer = {"", "Only directories a run of this 'every' created (the words with {n} or {time}) are pruned, oldest first."})
public final class EveryCommand implements Callable<Integer> {

    private final Session session;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INTERVAL", converter = Interval.Converter.class,
            description = "time between the starts of two runs: 500ms, 10s, 10m, 1h, 1h30m")
    Interval interval;

    @Option(names = "--count", paramLabel = "N", description = "stop after N runs")
    Integer count;

    @Option(names = "--keep", paramLabel = "K", description = "keep only the K newest directories the runs produced; delete older ones")
    Integer keep;

    @Option(names = "--keep-going", description = "go on after a failed run (default: stop at the first failure)")
    boolean keepGoing;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", preprocessor = RestOfLine.class,
            description = "the command to run, with its arguments")
    List<String> command;

    /** In the REPL or a script: runs COMMAND in that session (variables, $last_dump). */
    EveryCommand(Session session) {
        this.session = session;
    }

    /** On the shell ({@code jcr every …}): a session of its own. */
    public EveryCommand() {
        this(null);
    }

    @Override
    public Integer call() throws Exception {
        if (session == null) {
            Session own = Session.standard(spec.commandLine().getOut(), spec.commandLine().getErr());
            return InterruptSignals.cancelDuring(own.cancellation(), () -> own.execute(originalLine()));
        }
        if (count != null && count < 1) {
            throw new ReplUsageException("--count must be at least 1, not " + count);
        }
        if (keep != null && keep < 1) {
            throw new ReplUsageException("--keep must be at least 1, not " + keep);
        }
        if (command.get(0).equals("every")) {
            throw new ReplUsageException("every cannot run every");
        }
        Placeholders placeholders = new Placeholders(command);
        if (keep != null && !placeholders.any()) {
            throw new ReplUsageException("--keep needs {n} or {time} in the command, so that each run writes its own directory"
                    + " (e.g. dump $pid -D /ckpt/job-{n})");
        }
        List<Long> pids = session.pidsOf(placeholders.expand(1, java.time.LocalDateTime.now()));
        PeriodicRun run = new PeriodicRun(session, spec.commandLine().getOut(), spec.commandLine().getErr(),
                interval, count, keep, keepGoing, placeholders, new ProcessWatch(Path.of("/proc"), pids));
        return run.run().status();
    }

    /** This command line again, for the session that runs it when jcr every is called from the shell. */
    private List<String> originalLine() {
        List<String> line = new ArrayList<>(List.of("every", interval.text()));
        if (count != null) {
            line.addAll(List.of("--count", count.toString()));
        }
        if (keep != null) {
            line.addAll(List.of("--keep", keep.toString()));
        }
        if (keepGoing) {
            line.add("--keep-going");
        }
        line.add("--");
        line.addAll(command);
        return line;
    }

    /**
     * COMMAND is the rest of the line from its first word on, options included: dump's -D and
     * --help belong to dump, not to every. picocli hands this preprocessor the remaining arguments
     * when it reaches COMMAND's first word.
     */
    public static final class RestOfLine implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
            List<String> rest = new ArrayList<>();
            while (!args.isEmpty()) {
                rest.add(args.pop());
            }
            argSpec.setValue(rest);
            return true;
        }
    }

    /**
     * The index in WORDS (which start with "every") of COMMAND's first word, or -1 when WORDS end
     * before it: every's options may come before or after INTERVAL, the first other word starts
     * COMMAND, and "--" ends every's arguments explicitly.
     */
    static int commandStart(List<String> words, CommandSpec every) {
        boolean seenInterval = false;
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--")) {
                return i + 1 < words.size() ? i + 1 : -1;
            }
            int eq = w.indexOf('=');
            OptionSpec o = w.startsWith("-") ? every.findOption(eq > 0 ? w.substring(0, eq) : w) : null;
            if (o != null) {
                if (eq < 0 && o.arity().min() > 0) {
                    i++; // the option's value
                }
                continue;
            }
            if (!seenInterval) {
                seenInterval = true; // INTERVAL, or an unknown option picocli will report
                continue;
            }
            return i;
        }
        return -1;
    }
}
