package dev.jcr.restore;

import dev.jcr.image.Vectors;
import dev.jcr.testing.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The CRIU 4.2 vectors prepared for a restore: their executables copied to /tmp/jcr-vectors (the
 * recorded paths, sizes unchanged), their output files present, their pids free (else the test
 * is skipped: a leftover from another run, or an unlucky pid).
 */
public final class CriuVectors {

    public static final Path RUN_DIR = Path.of("/tmp/jcr-vectors");

    private CriuVectors() {
    }

    /** The image directory of vector NAME, ready to restore; OUTPUT (in /tmp/jcr-vectors) is emptied. */
    public static Path prepare(String name, String output) throws IOException {
        Path dir = install(name);
        Files.write(RUN_DIR.resolve(output), new byte[0]);
        return dir;
    }

    /**
     * The image directory of vector NAME with what its plan checks in place (the executables at their
     * recorded paths, OUTPUT present) but nothing emptied: for tests that only plan, without
     * {@link VectorLock}, beside another JVM restoring the same vector.
     */
    public static Path planReady(String name, String output) throws IOException {
        Path dir = install(name);
        try {
            Files.createFile(RUN_DIR.resolve(output));
        } catch (java.nio.file.FileAlreadyExistsException present) {
            // kept as it is
        }
        return dir;
    }

    private static Path install(String name) throws IOException {
        Path root = Vectors.root();
        Path dir = root.resolve(name);
        Files.createDirectories(RUN_DIR);
        try (Stream<Path> bins = Files.list(root.resolve("bin"))) {
            for (Path b : bins.toList()) {
                Path dst = RUN_DIR.resolve(b.getFileName());
                if (!Files.exists(dst) || Files.size(dst) != Files.size(b) || Files.mismatch(dst, b) >= 0) {
                    Files.copy(b, dst, StandardCopyOption.REPLACE_EXISTING);
                    dst.toFile().setExecutable(true);
                }
            }
        }
        return dir;
    }

    public static void assumePidsFree(Path dir) {
        try {
            PlanBuilder.build(dir);
        } catch (RestoreException e) {
            Need.environment(e.kind() != dev.jcr.JcrException.Kind.CONFLICT, "cannot restore the vector here: " + e.getMessage());
        }
    }

    /** Kills PID (SIGKILL) and waits until /proc/PID is gone (init reaps orphans slowly). */
    public static void kill(int pid) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < 1000 && Files.exists(Path.of("/proc/" + pid)); i++) {
            Thread.sleep(10);
        }
    }
}
