package dev.jcr.show;

import dev.jcr.Quote;
import dev.jcr.JcrException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jcr-show}: inspect CRIU-compatible image files (what CRIU's crit does, and more). Every
 * subcommand is one class; add new ones to the {@code subcommands} list below. {@code jcr show}
 * reaches the same commands through a subclass in the app module.
 */
@Command(name = "jcr-show", mixinStandardHelpOptions = true, version = "jcr-show 0.1.0",
        description = {"Inspect checkpoint images in CRIU's format.",
                "%nDecode an image to JSON and encode it back (as crit does), show and describe image files, explore"
                        + " an image directory, sum it up, compare two checkpoints."},
        subcommands = {
                DecodeCommand.class,
                EncodeCommand.class,
                ShowImageCommand.class,
                InfoCommand.class,
                dev.jcr.show.explore.ExploreCommand.class,
                dev.jcr.show.summary.SummaryCommand.class,
                dev.jcr.show.diff.DiffCommand.class,
                CommandLine.HelpCommand.class,
        })
public class ShowMain implements Runnable {

    /** Where binary output (encode) and raw input (stdin) go; replaced by tests and the REPL. */
    InputStream stdin = System.in;
    OutputStream stdout = System.out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        int code = execute(args, System.in, out, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        out.flush();
        System.exit(code);
    }

    /** Runs one jcr-show command line with the given streams; never throws. */
    public static int execute(String[] args, InputStream in, OutputStream out, PrintWriter err) {
        ShowMain main = new ShowMain();
        main.stdin = in;
        main.stdout = out;
        CommandLine cl = new CommandLine(main);
        PrintWriter text = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
        cl.setOut(text);
        cl.setErr(err);
        configure(cl);
        try {
            return cl.execute(args);
        } finally {
            text.flush();
            err.flush();
        }
    }

    /** Error handling of jcr-show: one line per error, exit codes by error kind, never a stack trace. */
    public static CommandLine configure(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getOut().flush();
            commandLine.getErr().println(oneLine(commandLine.getCommandSpec().qualifiedName(), ex));
            commandLine.getErr().flush();
            return ShowExit.of(ex);
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return ShowExit.USAGE;
        });
        return cl;
    }

    static String oneLine(String command, Throwable ex) {
        // the last guard: whatever a message quotes, it reaches the terminal as one escaped line
        if (ex instanceof JcrException) {
            return command + ": " + Quote.controls(ex.getMessage());
        }
        if (ex instanceof java.io.UncheckedIOException u) {
            return command + ": " + Quote.controls(u.getCause().getMessage());
        }
        return command + ": internal error: " + Quote.controls(String.valueOf(ex)) + " (please report)";
    }

    /** The ShowMain a subcommand runs under (the root of jcr-show, or jcr's show command). */
    static ShowMain root(CommandLine.Model.CommandSpec sub) {
        for (CommandLine c = sub.commandLine(); c != null; c = c.getParent()) {
            if (c.getCommand() instanceof ShowMain m) {
                return m;
            }
        }
        return new ShowMain();
    }
}
