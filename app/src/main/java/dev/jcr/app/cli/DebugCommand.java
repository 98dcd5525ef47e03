package dev.jcr.app.cli;

import dev.jcr.fault.Faults;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jcr debug fault-points}: the hidden tools for jcr's own tests. Lists every fault point of
 * the registry ({@link Faults}), one per line: name, area, what has happened when it fires. Use one
 * with {@code JCR_FAULT=<point>[:kill|:throw|:pause][:n]}.
 */
@Command(name = "debug", hidden = true, description = "Tools for jcr's own tests.", subcommands = {DebugCommand.FaultPoints.class})
public final class DebugCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fault-points", description = {"List the fault points JCR_FAULT can name.",
            "Use one as JCR_FAULT=<point>[:kill|:throw|:pause][:n]."})
    static final class FaultPoints implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Faults.Point p : Faults.ALL) {
                out.printf("%-34s %-8s %s%n", p.name(), p.area(), p.description());
            }
            out.flush();
            return 0;
        }
    }
}
