package dev.jcr.show;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code decode}: a binary image to crit-compatible JSON. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Convert an image to JSON (the same structure and keys as 'crit decode').")
public final class DecodeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Image file (default: standard input).")
    Path file;

    @Option(names = {"-i", "--in"}, paramLabel = "FILE", description = "Image file (as crit's -i).")
    Path in;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "Write the JSON here instead of standard output.")
    Path out;

    @Option(names = "--pretty", description = "Indented, with crit's hex/flags/device/name formatting of marked fields.")
    boolean pretty;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ObjectNode json;
        try (ImageReader r = ImageInput.open(file != null ? file : in, ShowMain.root(spec))) {
            json = ImageJson.decode(r, pretty, false);
        }
        write(json, pretty ? 4 : 0, out, color.colors(), spec);
        return 0;
    }

    static void write(ObjectNode json, int indent, Path out, Colors colors, CommandSpec spec) {
        if (out == null) {
            Writer w = spec.commandLine().getOut();
            new PyJson(w, indent, colors).write(json);
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().flush();
            return;
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            new PyJson(w, indent, Colors.NONE).write(json);
            w.write('\n');
        } catch (IOException e) {
            throw ImageIoException.of(out, "write", e);
        }
    }
}
