package dev.jcr.app.repl;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jcr run SCRIPT [ARG…]}: runs a script of jcr commands (see docs/repl.md). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a script of jcr commands.",
                "%nOne command per line, # comments, variables (set NAME VALUE, $NAME, $? and $status, $last_dump,"
                        + " $1 …), every INTERVAL … for periodic runs. The exit status is the first failing line's"
                        + " (0 when none failed)."})
public final class RunCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "the script ('-' for standard input)")
    Path script;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "the script's arguments, $1 $2 … inside it")
    List<String> args;

    @Option(names = "--fail-fast", description = "stop at the first failing line (default: report it and go on)")
    boolean failFast;

    @Override
    public Integer call() {
        return ReplCommand.runScript(script, args, failFast, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
