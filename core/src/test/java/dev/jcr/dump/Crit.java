package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** CRIU's own crit, the oracle of the image format: runs it and fails the test when it rejects an image. */
public final class Crit {

    private static final Path CRIT = Path.of("/usr/bin/crit");

    private Crit() {
    }

    public static void assumeAvailable() {
        Need.tool(CRIT, "crit (Debian package criu)");
    }

    /** crit ARGS…; returns stdout, fails with stderr on a non-zero exit. */
    public static String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(CRIT.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("crit " + String.join(" ", args) + " did not finish");
            }
            assertEquals(0, p.exitValue(), () -> "crit " + String.join(" ", args) + " failed:\n"
                    + new String(err, StandardCharsets.UTF_8));
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** crit decode of FILE: its JSON text (pages images are raw and skipped by callers). */
    public static String decode(Path file) {
        return run("decode", "-i", file.toString());
    }

    /** Decodes every protobuf image of DIR (all but pages-*.img), failing on the first crit rejects. */
    public static int decodeAll(Path dir) {
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("pages-")) {
                    continue;
                }
                decode(f);
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }
}
