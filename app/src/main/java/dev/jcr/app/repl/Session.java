package dev.jcr.app.repl;

import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One REPL or script session: its variables, where output goes, and how a line of words becomes a
 * command. Words name either a session builtin ({@code set}, {@code every}, {@code help} …, see
 * {@link Builtins}) or a subcommand of the CLI; the CLI's commands come from the same picocli tree
 * as {@code jcr COMMAND …} on the shell ({@link Main#newCommandLine}), so every CLI command exists
 * here with the same options, output and exit codes, and none is written twice.
 */
public final class Session {

    /** Exit status of a command cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
    public static final int CANCELLED = 130;

    /** Builds the CLI's command tree printing to the given writers; {@code Main::newCommandLine} in production. */
    @FunctionalInterface
    public interface Commands {
        CommandLine create(PrintWriter out, PrintWriter err);
    }

    private final Commands commands;
    private final PrintWriter out;
    private final PrefixedWriter errPrefix;
    private final PrintWriter err;
    private final Variables variables;
    private final Cancellation cancellation = new Cancellation();
    private final CommandLine registry;
    private volatile HistorySource history;
    private boolean exitRequested;
    private int exitStatus;
    private int depth;

    /** Where the {@code history} builtin reads from; only the interactive REPL has one. */
    @FunctionalInterface
    public interface HistorySource {
        List<String> lines();
    }

    public Session(Commands commands, PrintWriter out, Writer err, Map<String, String> environment) {
        this.commands = commands;
        this.out = out;
        this.errPrefix = new PrefixedWriter(err);
        this.err = new PrintWriter(errPrefix, true);
        this.variables = new Variables(environment);
        PrintWriter sink = new PrintWriter(new StringWriter());
        this.registry = commands.create(sink, sink);
    }

    /** A session over jcr's own command tree. */
    public static Session standard(PrintWriter out, Writer err) {
        return new Session(Main::newCommandLine, out, err, System.getenv());
    }

    public Variables variables() {
        return variables;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** The CLI's command tree (for completion and help); never executed. */
    public CommandLine commandRegistry() {
        return registry;
    }

    /** The builtins by name and alias (fresh instances), for completion and help; never executed. */
    public Map<String, CommandLine> builtinRegistry() {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return Builtins.commandLines(this, sink, sink);
    }

    void history(HistorySource history) {
        this.history = history;
    }

    Optional<HistorySource> history() {
        return Optional.ofNullable(history);
    }

    /** Lines the commands print on stderr start with PREFIX (e.g. "job.jcr:3: "); null for none. */
    void errorPrefix(String prefix) {
        errPrefix.prefix(prefix);
    }

    void requestExit(int status) {
        exitRequested = true;
        exitStatus = status;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /** Splits LINE (expanding variables) and runs it; a line of blanks or a comment returns null. */
    public Integer executeLine(String line) {
        List<String> words;
        try {
            words = LineSplitter.split(line, variables);
        } catch (ReplUsageException e) {
            err.println(e.getMessage());
            variables.status(ExitCode.USAGE.code);
            return ExitCode.USAGE.code;
        }
        if (words.isEmpty()) {
            return null;
        }
        return execute(words);
    }

    /**
     * Runs one command given as words; sets {@code $?} and, after a successful dump,
     * {@code $last_dump}. Never throws. Ctrl-C ({@link Cancellation#cancel()}) interrupts it.
     */
    public int execute(List<String> words) {
        List<String> args = new ArrayList<>(words);
        if (!args.isEmpty() && args.get(0).equals("jcr")) {
            args.remove(0); // "jcr ps" typed out of habit means "ps"
        }
        if (args.isEmpty()) {
            return variables.status();
        }
        String name = args.get(0);
        boolean outermost = depth == 0;
        if (outermost) {
            cancellation.enter();
        }
        depth++;
        int status;
        try {
            status = dispatch(name, args);
        } finally {
            depth--;
            if (outermost) {
                cancellation.exit();
            }
            out.flush();
            err.flush();
        }
        if (status != 0 && status != CANCELLED && cancellation.requested()) {
            err.println(name + ": cancelled");
            status = CANCELLED;
        }
        variables.status(status);
        return status;
    }

    private int dispatch(String name, List<String> args) {
        String[] argv = args.toArray(String[]::new);
        if (Builtins.NAMES.contains(name)) {
            return Builtins.execute(this, argv, out, err);
        }
        if (name.equals("repl")) {
            err.println("repl: already in the REPL (use 'run SCRIPT' to run a script)");
            return ExitCode.USAGE.code;
        }
        if (!registry.getSubcommands().containsKey(name)) {
            err.println(name + ": unknown command; type 'help' for the list");
            return ExitCode.USAGE.code;
        }
        int status = commands.create(out, err).execute(argv);
        if (status == 0 && name.equals("dump")) {
            imagesDir(argv).ifPresent(dir -> variables.set(Variables.LAST_DUMP, dir));
        }
        return status;
    }

    /**
     * The image directory a dump command line names: its {@code -D}/{@code --images-dir} option or
     * else the first argument labelled DIR — read from the command's own picocli model, so the REPL
     * follows the dump command's options rather than guessing at text.
     */
    Optional<String> imagesDir(String[] argv) {
        try {
            PrintWriter sink = new PrintWriter(new StringWriter());
            ParseResult parsed = commands.create(sink, sink).parseArgs(argv);
            ParseResult sub = parsed.subcommand();
            if (sub == null) {
                return Optional.empty();
            }
            for (String option : List.of("-D", "--images-dir", "--dir")) {
                OptionSpec o = sub.matchedOption(option);
                if (o != null && !o.stringValues().isEmpty()) {
                    return existingDir(o.stringValues().get(0));
                }
            }
            for (ArgSpec a : sub.matchedArgs()) {
                if (a.paramLabel() != null && a.paramLabel().toUpperCase().contains("DIR") && !a.stringValues().isEmpty()) {
                    return existingDir(a.stringValues().get(0));
                }
            }
        } catch (CommandLine.ParameterException e) {
            // the command ran, so its line parsed; a parse failure here only means no $last_dump
        }
        return Optional.empty();
    }

    /**
     * The processes a command line is about: the values of its arguments labelled PID in the
     * command's usage (e.g. {@code dump PID -D DIR}). Empty for builtins or lines that do not parse.
     */
    List<Long> pidsOf(List<String> words) {
        List<Long> pids = new ArrayList<>();
        if (words.isEmpty() || !registry.getSubcommands().containsKey(words.get(0))) {
            return pids;
        }
        try {
            PrintWriter sink = new PrintWriter(new StringWriter());
            ParseResult parsed = commands.create(sink, sink).parseArgs(words.toArray(String[]::new));
            for (ParseResult p = parsed; p != null; p = p.subcommand()) {
                for (ArgSpec a : p.matchedArgs()) {
                    if (a.paramLabel() != null && a.paramLabel().toUpperCase().contains("PID")) {
                        for (String v : a.stringValues()) {
                            if (v.matches("\\d{1,10}")) {
                                pids.add(Long.parseLong(v));
                            }
                        }
                    }
                }
            }
        } catch (CommandLine.ParameterException e) {
            // the run itself will report the bad line
        }
        return pids;
    }

    private static Optional<String> existingDir(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? Optional.of(p.toString()) : Optional.empty();
    }
}
