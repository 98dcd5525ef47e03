package dev.jcr.show.testing;


import java.io.IOException;
import dev.jcr.testing.Need;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs CRIU's crit (the oracle) when it is installed; tests that need it are skipped otherwise. */
public final class Crit {

    private Crit() {
    }

    public static String run(String... args) {
        Need.tool(Path.of("/usr/bin/crit"), "crit (Debian package criu)");
        try {
            ProcessBuilder pb = new ProcessBuilder(concat(args)).redirectErrorStream(true);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("crit timed out: " + List.of(args));
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("crit " + List.of(args) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(String... args) {
        java.util.ArrayList<String> l = new java.util.ArrayList<>();
        l.add("/usr/bin/crit");
        l.addAll(List.of(args));
        return l;
    }
}
