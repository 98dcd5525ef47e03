package dev.jcr.show.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jcr.show.ColorOption;
import dev.jcr.show.model.Dump;
import dev.jcr.show.text.Palette;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code x DIR ps|fds|mems|rss|sk}: crit's explorer views, aligned, with sizes and names. */
@Command(name = "x", mixinStandardHelpOptions = true,
        description = {"Explore an image directory: ps, fds, mems, rss or sk.",
                "%nViews:",
                "  ps    process tree (pid, pgid, sid, threads, state, command)",
                "  fds   open fds per process with what they point at, cwd and root",
                "  mems  memory map per process: mappings, protection, files, pages dumped",
                "  rss   dumped pages (pagemap runs) against the mappings they belong to",
                "  sk    sockets: family, type, state, ends, queued data, holders"})
public final class ExploreCommand implements Callable<Integer> {

    public enum View { ps, fds, mems, rss, sk }

    @Parameters(index = "0", paramLabel = "DIR", description = "Image directory.")
    Path dir;

    @Parameters(index = "1", paramLabel = "VIEW", description = "One of: ${COMPLETION-CANDIDATES}.")
    View view;

    @Option(names = "--json", description = "Print the view as JSON (the same records the text shows).")
    boolean json;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Dump dump = Dump.open(dir);
        Object model = switch (view) {
            case ps -> PsView.of(dump);
            case fds -> FdsView.of(dump);
            case mems -> MemsView.of(dump);
            case rss -> RssView.of(dump);
            case sk -> SkView.of(dump);
        };
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper().writeValueAsString(model));
        } else {
            ExploreText text = new ExploreText(Palette.of(color.colors()));
            List<String> lines = switch (view) {
                case ps -> text.ps((PsView) model);
                case fds -> text.fds((FdsView) model);
                case mems -> text.mems((MemsView) model);
                case rss -> text.rss((RssView) model);
                case sk -> text.sk((SkView) model);
            };
            lines.forEach(out::println);
        }
        out.flush();
        return 0;
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
