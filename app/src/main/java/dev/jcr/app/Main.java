package dev.jcr.app;

import dev.jcr.Quote;
import dev.jcr.JcrException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The umbrella CLI. Every subcommand is one class in {@code dev.jcr.app.cli}; the REPL exposes the
 * same classes, so a command is never written twice.
 */
@Command(name = "jcr", mixinStandardHelpOptions = true, version = "jcr 0.1.0",
        description = {"Checkpoint and restore Linux processes, CRIU-compatible.",
                "%nRun a command below, or no command for the interactive shell on a terminal."},
        subcommands = {
                CommandLine.HelpCommand.class,
                dev.jcr.app.cli.Ps.class,
                dev.jcr.app.cli.Check.class,
                dev.jcr.app.cli.DumpCommand.class,
                dev.jcr.app.repl.ReplCommand.class,
                dev.jcr.app.repl.RunCommand.class,
                dev.jcr.app.cli.ShowCommand.class,
                dev.jcr.app.repl.EveryCommand.class,
                dev.jcr.app.cli.RestoreCommand.class,
                dev.jcr.app.cli.PageServerCommand.class,
                dev.jcr.app.cli.MigrateCommand.class,
                dev.jcr.app.cli.DebugCommand.class,
        })
public final class Main implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // no command and no terminal (execute opens the REPL on one): say what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; used by main, by the REPL and by tests. Never throws. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        String bad = faultSpecProblem();
        if (bad != null) {
            err.println("jcr: " + bad);
            err.flush();
            return ExitCode.USAGE.code;
        }
        if (args.length == 0 && dev.jcr.app.repl.ReplCommand.onTerminal()) {
            return dev.jcr.app.repl.ReplCommand.interactive(err);
        }
        CommandLine cl = args.length > 0 && args[0].equals("restore")
                ? configure(new CommandLine(new Lean()).addSubcommand(new dev.jcr.app.cli.RestoreCommand()), out, err)
                : newCommandLine(out, err);
        return cl.execute(args);
    }

    /**
     * The root for `jcr restore`, with that one subcommand: building the whole tree (every subcommand's
     * model, the classes of the REPL, of jcr-show and their dependencies) costs more than restoring a
     * small process. Same name and options as {@link Main}, so messages and help read the same.
     */
    @Command(name = "jcr", mixinStandardHelpOptions = true, version = "jcr 0.1.0")
    static final class Lean implements Runnable {
        @Override
        public void run() {
        }
    }

    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new Main()), out, err);
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Main::exitCodeOf);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            report(commandLine.getCommandName(), ex).forEach(commandLine.getErr()::println);
            commandLine.getErr().flush();
            return exitCodeOf(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(ex.getCommandLine().getCommandName() + ": " + usageMessage(ex));
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE.code;
        });
        return cl;
    }

    /**
     * The words of a usage error: picocli's, except for a value a converter of ours refused, whose own
     * sentence says it better ("'abc' is not a PID" rather than "Invalid value for positional parameter
     * at index 0..* (PID): …").
     */
    public static String usageMessage(CommandLine.ParameterException ex) {
        return ex.getCause() instanceof dev.jcr.app.cli.PidConverter.NotAPid p ? p.getMessage() : ex.getMessage();
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof JcrException j) {
            return ExitCode.of(j.kind()).code;
        }
        if (ex instanceof dev.jcr.fault.Cancelled) {
            return ExitCode.CANCELLED.code;
        }
        return ExitCode.INTERNAL.code;
    }

    /**
     * Null, or what is wrong with {@code JCR_FAULT} (fault injection for tests, see docs/ptrace.md): a
     * misspelt point must be refused, not silently never fire.
     */
    public static String faultSpecProblem() {
        try {
            dev.jcr.fault.Faults.armFromEnvironment();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * What a command prints for an error: {@link #oneLine}, except for a refused dump, whose first line
     * sums up and whose blockers follow one per line, grouped by kind as {@code jcr check} lists them.
     */
    public static java.util.List<String> report(String command, Throwable ex) {
        if (ex instanceof dev.jcr.dump.UnsupportedTreeException u) {
            java.util.List<String> lines = new java.util.ArrayList<>();
            for (String l : dev.jcr.app.cli.BlockerText.refusal(u.report())) {
                lines.add((lines.isEmpty() ? command + ": " : "") + Quote.controls(l)); // the last guard, as oneLine
            }
            return lines;
        }
        return java.util.List.of(oneLine(command, ex));
    }

    /** One line for a person: the typed message, or the class and message of an unexpected error. */
    public static String oneLine(String command, Throwable ex) {
        // the last guard: whatever a message quotes, it reaches the terminal as one escaped line
        if (ex instanceof JcrException || ex instanceof dev.jcr.fault.Cancelled || ex instanceof dev.jcr.fault.InjectedFault) {
            return command + ": " + Quote.controls(ex.getMessage());
        }
        return command + ": internal error: " + Quote.controls(String.valueOf(ex)) + " (please report)";
    }
}
