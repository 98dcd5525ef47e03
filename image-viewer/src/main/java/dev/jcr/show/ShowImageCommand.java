package dev.jcr.show;

import dev.jcr.image.ImageReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code show}: an image as pretty JSON for a person (crit's show). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show an image as pretty JSON, like 'crit show'.", "%nIn colour on a terminal."})
public final class ShowImageCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Image file.")
    Path file;

    @Option(names = "--nopl", description = "Do not show extra payloads (pipe data, packets ...), only their size.")
    boolean noPayload;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ImageReader r = ImageInput.open(file, ShowMain.root(spec))) {
            DecodeCommand.stream(r, true, noPayload, null, color.colors(), spec);
        }
        return 0;
    }
}
