package dev.jcr.show;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcr.image.ImageIoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code encode}: crit-compatible JSON back to a binary image. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Convert JSON back to a binary image.",
                "%nThe JSON may come from decode (plain or --pretty) or from crit; decode then encode gives the same bytes."})
public final class EncodeCommand implements Callable<Integer> {

    /** Built on first use: picocli instantiates every command at start-up, and a mapper is costly to set up. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Option(names = {"-i", "--in"}, paramLabel = "JSON", description = "JSON file (default: standard input).")
    Path in;

    @Option(names = {"-o", "--out"}, paramLabel = "OUT", description = "Image file to write (default: standard output).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ShowMain root = ShowMain.root(spec);
        JsonNode json = readJson(in, root.stdin);
        // Encode fully before writing anything: bad JSON never leaves a half-written image behind.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageJson.encode(json, bytes);
        if (out == null) {
            try {
                spec.commandLine().getOut().flush();
                bytes.writeTo(root.stdout);
                root.stdout.flush();
            } catch (IOException e) {
                throw ImageIoException.of("standard output", "write", e);
            }
        } else {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".jcr-tmp");
            try {
                Files.write(tmp, bytes.toByteArray());
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // reporting the first failure
                }
                throw ImageIoException.of(out, "write", e);
            }
        }
        return 0;
    }

    static JsonNode readJson(Path file, InputStream stdin) {
        String name = file == null ? "<stdin>" : file.toString();
        try (InputStream is = file == null ? stdin : Files.newInputStream(file)) {
            JsonNode n = Json.MAPPER.readTree(is);
            if (n == null || n.isMissingNode()) {
                throw new BadJsonException(name, "no JSON input");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new BadJsonException(name, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
        } catch (IOException e) {
            throw ImageIoException.of(name, "read", e);
        }
    }
}
