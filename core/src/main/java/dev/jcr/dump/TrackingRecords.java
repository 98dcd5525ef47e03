package dev.jcr.dump;

import dev.jcr.image.ImageIoException;
import dev.jcr.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What jcr remembers, on this host, about the write trackers it left in live processes: per process
 * (pid and start time, so a reused pid is never mistaken for the old process) the descriptor number of
 * its tracker and the run id of the dump that last reset it. An incremental dump may mark a page
 * "in the parent" only when nothing was written to it since the parent dump copied it; that holds
 * only if the tracker was last reset by the parent dump itself — not by a later pre-dump whose images
 * were thrown away, nor by another jcr. The record is replaced <em>before</em> a dump resets the
 * tracker, so a dump that dies half way leaves a record no parent matches: the next dump copies
 * everything instead of trusting a tracker it cannot vouch for.
 *
 * <p>Records live in {@code /run/jcr/tracking} for root, else {@code $XDG_RUNTIME_DIR/jcr/tracking}
 * or a per-user directory under the temporary directory ({@code JCR_STATE_DIR} overrides the base);
 * they vanish with the host's run-time state, as the processes do.
 */
final class TrackingRecords {

    /** The tracker of one process: its descriptor number and the run id of the dump that last reset it. */
    record Entry(int fd, String runId) {
    }

    private final Path dir;
    private final ProcFs fs;

    TrackingRecords(Path dir, ProcFs fs) {
        this.dir = dir;
        this.fs = fs;
    }

    static TrackingRecords standard(ProcFs fs) {
        return new TrackingRecords(baseDir().resolve("tracking"), fs);
    }

    private static Path baseDir() {
        String override = System.getenv("JCR_STATE_DIR");
        if (override != null && !override.isEmpty()) {
            return Path.of(override);
        }
        if ("root".equals(System.getProperty("user.name")) && Files.isDirectory(Path.of("/run"))) {
            return Path.of("/run/jcr");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "jcr");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "jcr-" + System.getProperty("user.name"));
    }

    Path dir() {
        return dir;
    }

    Optional<Entry> get(int pid, long startTicks) {
        Path f = file(pid, startTicks);
        try {
            String fd = null;
            String run = null;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("fd=")) {
                    fd = line.substring(3).trim();
                } else if (line.startsWith("run=")) {
                    run = line.substring(4).trim();
                }
            }
            if (fd == null || run == null) {
                return Optional.empty();
            }
            return Optional.of(new Entry(Integer.parseInt(fd), run));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // no record (or a torn one): the tracker is not vouched for
        }
    }

    /** Replaces the record of PID atomically (and drops records of processes that are gone). */
    void put(int pid, long startTicks, Entry e) {
        try {
            Files.createDirectories(dir);
            Path f = file(pid, startTicks);
            Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
            Files.writeString(tmp, "fd=" + e.fd() + "\nrun=" + e.runId() + "\n");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            throw ImageIoException.of(dir, "record write tracking state", ex);
        }
        prune();
    }

    void remove(int pid, long startTicks) {
        try {
            Files.deleteIfExists(file(pid, startTicks));
        } catch (IOException ignored) {
            // a stale record names a tracker that no longer exists: it is never trusted
        }
    }

    private Path file(int pid, long startTicks) {
        return dir.resolve(pid + "-" + startTicks);
    }

    /** Deletes records of processes that no longer exist (or whose pid now belongs to another process). */
    private void prune() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String[] parts = f.getFileName().toString().split("-");
                if (parts.length != 2 || f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(parts[0]);
                    long start = Long.parseLong(parts[1]);
                    if (!fs.exists(pid) || fs.process(pid).startTimeTicks() != start) {
                        Files.deleteIfExists(f);
                    }
                } catch (RuntimeException | IOException ignored) {
                    // vanished meanwhile, or not ours
                }
            }
        } catch (IOException ignored) {
            // pruning is housekeeping only
        }
    }
}
