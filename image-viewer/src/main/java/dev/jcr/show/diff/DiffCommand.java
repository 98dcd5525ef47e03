package dev.jcr.show.diff;

import dev.jcr.show.ColorOption;
import dev.jcr.show.text.Palette;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diff DIR_A DIR_B}: what changed between two checkpoints. Exit 0 when the same, 1 when they differ. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what changed between two checkpoints.",
                "%nProcesses, threads, registers, memory map, page contents, fds, cwd, credentials, resource limits,"
                        + " signal state."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the same", "1:different", "2:usage error", "7:bad image", "8:I/O error"})
public final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR_A", description = "The earlier image directory.")
    Path a;

    @Parameters(index = "1", paramLabel = "DIR_B", description = "The later image directory.")
    Path b;

    @Option(names = "--json", description = "Print the differences as JSON.")
    boolean json;

    @Option(names = "--ranges", paramLabel = "N", defaultValue = "20",
            description = "Changed page ranges shown per process in text output (0: all). Default: ${DEFAULT-VALUE}.")
    int ranges;

    @Option(names = "--regs", description = "Every changed word of every vector register (xmm/ymm/zmm, k) on a line of its own;"
            + " by default they are one line, how many of them changed.")
    boolean regs;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DiffReport r = ImageDiff.between(a, b);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(DiffJson.render(r));
        } else {
            new DiffText(Palette.of(color.colors()), Math.max(0, ranges), regs).render(r).forEach(out::println);
        }
        out.flush();
        return r.same() ? 0 : 1;
    }
}
