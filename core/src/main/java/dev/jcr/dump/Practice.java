package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.fault.Faults;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A dump of a throwaway process, run once per JVM before a dump whose frozen time counts most (the
 * final dump of a chain, a migration's last round), so that its freeze does not pay for a cold JVM.
 *
 * <p>Why: in a fresh JVM the first pass through the dump's code (seizing, registers, a remote-syscall
 * session, signal handlers, a pipe's contents, the images' protobuf classes) loads, links and
 * initialises hundreds of classes and call sites. Measured on a 1-thread process with a pipe: about
 * 100 ms of state reading on the first dump of a JVM against 30 ms on the third. A practice on another
 * process moves that cost before the freeze, where only the total time pays it.
 *
 * <p>The process is {@code sleep} with a pipe holding a few bytes on fd 0, {@code /dev/null} on fd 1
 * and a regular file on fd 2 (the kinds nearly every tree has), in a session of its own. Nothing of it
 * is kept: it is killed and reaped, its images deleted. A practice that fails for any reason is
 * ignored (only speed was at stake); none of its fault points fire or count ({@link Faults#silently}).
 * If jcr dies meanwhile, the sleep ends by itself within {@link #SLEEP_SECONDS}.
 */
final class Practice {

    static final int SLEEP_SECONDS = 20;
    private static final Path SLEEP = Path.of("/bin/sleep");
    private static boolean done;

    private Practice() {
    }

    /**
     * Practices with ENGINE unless this JVM already did; returns true when a practice dump ran to
     * its end now.
     */
    static boolean once(DumpEngine engine) {
        synchronized (Practice.class) {
            if (done) {
                return false;
            }
            done = true;
        }
        return run(engine);
    }

    /** One practice dump with ENGINE (whether or not this JVM has had one); true when it ran to its end. */
    static boolean run(DumpEngine engine) {
        if (!Files.isExecutable(SLEEP)) {
            return false;
        }
        return Faults.silently(() -> dumpThrowaway(engine));
    }

    private static boolean dumpThrowaway(DumpEngine engine) {
        Path dir = null;
        int pid = -1;
        int[] pipe = null;
        try {
            dir = Files.createTempDirectory("jcr-practice");
            Path input = dir.resolve("input");
            Files.writeString(input, "practice\n");
            pipe = Linux.pipe();
            Linux.write(pipe[1], "practice\n".getBytes(StandardCharsets.US_ASCII));
            int devNull = Linux.open("/dev/null", Linux.O_RDWR, 0);
            int file = Linux.open(input.toString(), Linux.O_RDONLY, 0);
            try {
                pid = Linux.spawn(SLEEP.toString(), new String[] {"sleep", Integer.toString(SLEEP_SECONDS)},
                        new String[] {"JCR_PRACTICE_OF=" + Linux.getpid()}, true, new int[] {pipe[0], devNull, file});
            } finally {
                Linux.close(devNull);
                Linux.close(file);
                Linux.close(pipe[0]);
            }
            if (!asleep(pid)) {
                return false;
            }
            engine.dump(pid, DumpOptions.to(dir.resolve("images")), DumpListener.NONE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // JcrException included
        } finally {
            if (pid > 0) {
                try {
                    Linux.kill(pid, 9);
                    Linux.waitpid(pid, 0);
                } catch (JcrException gone) {
                    // reaped already
                }
            }
            if (pipe != null) {
                Linux.close(pipe[1]);
            }
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /** Waits (at most 2 s) until PID runs sleep and sleeps: not in the middle of its exec. */
    private static boolean asleep(int pid) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        Path stat = Path.of("/proc/" + pid + "/stat");
        while (System.nanoTime() < deadline) {
            try {
                String s = Files.readString(stat);
                int close = s.lastIndexOf(')');
                if (s.startsWith(pid + " (sleep)") && s.charAt(close + 2) == 'S') {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return false;
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover temporary file; nothing depends on it
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
