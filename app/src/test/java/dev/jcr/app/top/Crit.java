package dev.jcr.app.top;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CRIU's crit, the oracle: decodes an image to its JSON text or fails the test with crit's output. */
final class Crit {

    private Crit() {
    }

    static String decode(Path image) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("crit", "decode", "-i", image.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("crit decode " + image + " failed:\n" + out);
        }
        return out;
    }
}
