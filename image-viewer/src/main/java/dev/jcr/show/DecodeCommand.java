package dev.jcr.show;

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
        description = {"Convert an image to JSON.", "%nThe same structure and keys as 'crit decode'."})
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
        try (ImageReader r = ImageInput.open(file != null ? file : in, ShowMain.root(spec))) {
            stream(r, pretty, false, out, color.colors(), spec);
        }
        return 0;
    }

    /**
     * Decodes and prints the whole image, or nothing: a bad entry is found before any output. To
     * standard output the JSON is made in memory first (images other than pages are small; pages
     * files have no JSON form); to a file it goes to a temporary sibling renamed into place.
     */
    static void stream(ImageReader r, boolean pretty, boolean noPayload, Path out, Colors colors, CommandSpec spec) {
        int indent = pretty ? 4 : 0;
        if (out == null) {
            java.io.StringWriter whole = new java.io.StringWriter();
            new PyJson(whole, indent, colors).writeImage(r.kind().name(), ImageJson.entries(r, pretty, noPayload));
            java.io.PrintWriter w = spec.commandLine().getOut();
            w.println(whole);
            w.flush();
            return;
        }
        Path tmp = out.resolveSibling("." + out.getFileName() + ".jcr-tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                new PyJson(w, indent, Colors.NONE).writeImage(r.kind().name(), ImageJson.entries(r, pretty, noPayload));
                w.write('\n');
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ImageIoException.of(out, "write", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error matters more
            }
        }
    }

}
