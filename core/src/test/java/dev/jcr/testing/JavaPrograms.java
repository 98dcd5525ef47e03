package dev.jcr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small Java programs for tests that dump and restore a JVM: compiled with the JDK's javac at test
 * time (cached by content under {@code target/java-fixtures}) and run with the JDK's own java and
 * default options, as a user would start one.
 */
public final class JavaPrograms {

    private static final Path CACHE = Paths.get("target", "java-fixtures").toAbsolutePath();
    private static final Path HOME = Path.of(System.getProperty("java.home"));

    private JavaPrograms() {
    }

    /** The directory holding CLASS_NAME compiled from SOURCE (javac once per content). */
    public static synchronized Path compile(String className, String source) {
        try {
            Path dir = CACHE.resolve(className + "-" + Integer.toHexString(source.hashCode()));
            if (Files.exists(dir.resolve(className + ".class"))) {
                return dir;
            }
            Path tmp = Files.createDirectories(CACHE).resolve(dir.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Files.createDirectories(tmp);
            Path src = tmp.resolve(className + ".java");
            Files.writeString(src, source);
            Process javac = new ProcessBuilder(HOME.resolve("bin/javac").toString(), "-J-XX:-UsePerfData", "-d",
                    tmp.toString(), src.toString()).redirectErrorStream(true).start();
            String log = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!javac.waitFor(120, TimeUnit.SECONDS) || javac.exitValue() != 0) {
                throw new IllegalStateException("javac failed for " + className + ":\n" + log);
            }
            try {
                Files.move(tmp, dir);
            } catch (IOException raced) {
                // compiled meanwhile by another test: use that one
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's java launcher (the one running the tests). */
    public static String java() {
        return HOME.resolve("bin/java").toString();
    }

    /** The perf-data file a default JVM with PID maps ({@code /tmp/hsperfdata_USER/PID}). */
    public static Path perfData(long pid) {
        return Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid));
    }

    /** The command that runs CLASS_NAME from CLASSES with default options. */
    public static List<String> command(Path classes, String className) {
        return List.of(java(), "-cp", classes.toString(), className);
    }
}
