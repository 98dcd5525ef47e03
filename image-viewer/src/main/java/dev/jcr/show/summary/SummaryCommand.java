package dev.jcr.show.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

/** {@code summary DIR}: the first screen to read about a checkpoint. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Sum up an image directory on one screen.",
                "%nProcesses, memory mapped and dumped, files, sockets, image sizes, dump statistics, and what jcr"
                        + " could not restore (or only with an option)."})
public final class SummaryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Image directory.")
    Path dir;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Summary s = Summary.of(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
        } else {
            new SummaryText(Palette.of(color.colors())).render(s).forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
