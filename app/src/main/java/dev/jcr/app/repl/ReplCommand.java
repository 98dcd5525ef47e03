package dev.jcr.app.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jcr repl}: the interactive shell over jcr's commands, or a script with -f / on stdin. */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = {"Open the interactive shell over jcr's commands.",
                "%nIt completes commands, options, PIDs and image paths, and keeps a history. With -f, or when standard"
                        + " input is not a terminal, it runs a script instead. 'jcr' without arguments opens it on a"
                        + " terminal; type 'help' inside for the commands."})
public final class ReplCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = {"-f", "--file"}, paramLabel = "SCRIPT", description = "run this script ('-' for standard input)")
    Path script;

    @Option(names = "--fail-fast", description = "in a script, stop at the first failing line (default: report it and go on)")
    boolean failFast;

    @Parameters(paramLabel = "ARG", description = "the script's arguments, $1 $2 … inside it")
    List<String> args;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (script != null) {
            return runScript(script, args, failFast, out, err);
        }
        if (!onTerminal()) {
            return runScript(Path.of("-"), args, failFast, out, err);
        }
        if (args != null && !args.isEmpty()) {
            throw new ReplUsageException("arguments are for scripts: jcr repl -f SCRIPT ARG…");
        }
        return interactive(err);
    }

    /** True when jcr talks to a person: standard input and output are a terminal. */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    /** Opens the interactive REPL on the system terminal. */
    public static int interactive(PrintWriter err) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("jcr").build()) {
            PrintWriter tw = terminal.writer();
            Session session = Session.standard(tw, tw);
            return new Repl(session, terminal, HistoryLocation.of(System.getenv())).run();
        } catch (IOException e) {
            err.println("repl: cannot open the terminal: " + e.getMessage());
            return dev.jcr.app.ExitCode.IO.code;
        }
    }

    /** Runs SCRIPT ("-": standard input) with ARGS in a new session; Ctrl-C or SIGTERM cancels. */
    static int runScript(Path script, List<String> args, boolean failFast, PrintWriter out, PrintWriter err) {
        Session session = Session.standard(out, err);
        session.variables().arguments(args == null ? List.of() : args);
        boolean stdin = script.toString().equals("-");
        String name = stdin ? "stdin" : script.toString();
        try (BufferedReader in = stdin
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            return InterruptSignals.cancelDuring(session.cancellation(), () -> new ScriptRunner(session, name, failFast).run(in));
        } catch (NoSuchFileException e) {
            err.println("run: no such script: " + script);
            return dev.jcr.app.ExitCode.IO.code;
        } catch (IOException e) {
            err.println("run: cannot read " + name + ": " + dev.jcr.image.ImageIoException.why(script, e));
            return dev.jcr.app.ExitCode.IO.code;
        } catch (Exception e) {
            throw new IllegalStateException(e); // ScriptRunner throws only IOException
        }
    }
}
