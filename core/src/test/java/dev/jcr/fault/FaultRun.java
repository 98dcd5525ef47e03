package dev.jcr.fault;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageReader;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One run of jcr with a fault armed: in a JVM of its own (kill: it SIGKILLs itself) or in this one (throw). */
final class FaultRun {

    /** What happened: whether the point fired, how jcr ended, what it said. */
    record Result(String spec, boolean fired, int exit, String output, long jcrPid) {
        String describe() {
            return spec + (fired ? " (fired)" : " (not reached)") + ", exit " + exit;
        }
    }

    private FaultRun() {
    }

    /** A dump of PID into DIR in its own (warmed) JVM, killed at the armed point. */
    static Result dumpKilled(String point, int pid, Path dir) {
        return Warmed.run(Integer.toString(pid), "dump " + point + ":kill " + pid + " " + dir);
    }

    /** The last dump of a chain (parent PARENT, tracking kept) of PID into DIR in its own JVM, killed at the point. */
    static Result dumpKilled(String point, int pid, Path dir, String parent) {
        return Warmed.run(Integer.toString(pid), "dump " + point + ":kill " + pid + " " + dir + " " + parent);
    }

    /** A restore of DIR in its own (warmed) JVM, killed at SPEC (point[:n]). */
    static Result restoreKilled(String spec, Path dir) {
        return restoreKilled("restore", spec, dir);
    }

    /** The same, into a new PID namespace. */
    static Result restoreKilledInPidNamespace(String spec, Path dir) {
        return restoreKilled("restore-ns", spec, dir);
    }

    private static Result restoreKilled(String command, String spec, Path dir) {
        String[] parts = spec.split(":");
        String full = parts[0] + ":kill" + (parts.length > 1 ? ":" + parts[1] : "");
        return Warmed.run(dir.toString(), command + " " + full + " " + dir);
    }

    /**
     * The next {@link FaultServer}, started (and warming up) while the previous run is checked: its
     * warm-up (class loading, a tree check) then costs no time of the loop's own.
     */
    private static final class Warmed {
        private static Process next;
        private static String nextWarm;

        static synchronized Result run(String warm, String command) {
            Process p;
            if (next != null && warm.equals(nextWarm)) {
                p = next;
            } else {
                discard();
                p = start(warm);
            }
            next = start(warm);
            nextWarm = warm;
            String spec = command.split(" ")[1];
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8));
                String line = out.readLine();
                if (!"WARM".equals(line)) {
                    throw new AssertionError("fault server said " + line);
                }
                p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(spec + ": jcr still running after 120 s");
                }
                String rest = out.lines().collect(java.util.stream.Collectors.joining("\n"))
                        + "\n" + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                return new Result(spec, fired(rest, spec), p.exitValue(), rest, p.pid());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static Process start(String warm) {
            try {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData",
                        "-cp", System.getProperty("java.class.path"), FaultServer.class.getName()).start();
                p.getOutputStream().write(("warm " + warm + "\n").getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
                return p;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Ends the prepared server (the loop is over). */
        static synchronized void discard() {
            if (next != null) {
                next.destroyForcibly();
                next = null;
                nextWarm = null;
            }
        }
    }

    /** Ends the server prepared for a next run that will not come. */
    static void done() {
        Warmed.discard();
    }

    /** A dump of PID into DIR in this JVM, with the point armed to throw. */
    static Result dumpThrowing(String point, int pid, Path dir) {
        return dumpThrowing(point, pid, DumpOptions.to(dir));
    }

    /** The same for OPTIONS (e.g. the last dump of a chain). */
    static Result dumpThrowing(String point, int pid, DumpOptions options) {
        String spec = point + ":throw";
        Faults.arm(spec);
        try {
            new DumpEngine().dump(pid, options, DumpListener.NONE);
            return new Result(spec, false, 0, "", ProcessHandle.current().pid());
        } catch (InjectedFault e) {
            return new Result(spec, true, 70, e.getMessage(), ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            throw new AssertionError(spec + ": the dump failed with something else than the injected fault", e);
        } finally {
            Faults.disarm();
        }
    }

    private static boolean fired(String out, String spec) {
        String point = spec.split(":")[0];
        return out.contains("jcr: fault point " + point + " reached");
    }

    /**
     * The checks after one run R of a dump with POINT armed (KILL: jcr died there; else it threw), WHAT
     * naming it: a dump that failed without reaching the point is an error; TARGET must be unharmed (the
     * drain's area may stay where jcr died while it existed, or where the failing unmap threw); no
     * directory in PARENT may claim completeness unless DIR is complete.
     */
    static void assertHarmless(String what, String point, boolean kill, Result r, dev.jcr.testing.CrashTarget target,
            Path parent, Path dir) {
        if (!r.fired() && r.exit() != 0) {
            throw new AssertionError(what + ": the dump failed without reaching the point:\n" + r.output());
        }
        // a throw runs jcr's cleanup, which leaves nothing; only the failing unmap itself cannot
        boolean areaMayStay = r.fired() && (kill ? mayKeepArea(point) : point.equals("remote.syscall.munmap"));
        target.assertUnharmed(what, areaMayStay);
        assertNoFalseCompleteness(what, parent, dir);
    }

    /** Points where jcr dies while the drain's area (and only that) exists in the target. */
    private static boolean mayKeepArea(String point) {
        return point.startsWith("drain.") || point.equals("remote.syscall.mmap") || point.equals("remote.syscall.mprotect") || point.equals("remote.syscall.clone3")
                || point.equals("remote.syscall.close_range") || point.equals("remote.syscall.pipe2")
                || point.equals("remote.syscall.fcntl") || point.equals("remote.syscall.close")
                || point.equals("remote.syscall.munmap");
    }

    /**
     * Asserts that no directory in PARENT claims completeness when the dump did not finish: DIR itself
     * exists only if complete (the images plan without error), and hidden temporaries are never named
     * like the target. Removes what it found, for the next run.
     */
    static void assertNoFalseCompleteness(String what, Path parent, Path dir) {
        if (Files.exists(dir)) {
            try {
                assertComplete(dir);
            } catch (RuntimeException e) {
                throw new AssertionError(what + ": " + dir + " exists but is not a complete dump: " + e.getMessage(), e);
            }
        }
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : s.toList()) {
                if (!p.equals(dir) && !p.getFileName().toString().startsWith(".")) {
                    throw new AssertionError(what + ": unexpected " + p);
                }
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every image a dump of each process needs is there and decodes (without caring whether its pids are free). */
    static void assertComplete(Path dir) {
        ImageDir d = ImageDir.open(dir);
        d.readSingle(ImageKind.INVENTORY, null, InventoryEntry.class);
        List<PstreeEntry> tree = d.readAll(ImageKind.PSTREE, null, PstreeEntry.class);
        if (tree.isEmpty()) {
            throw new IllegalStateException("pstree.img lists no process");
        }
        for (PstreeEntry p : tree) {
            for (int tid : p.getThreadsList()) {
                d.readSingle(ImageKind.CORE, tid, CoreEntry.class);
            }
            d.readSingle(ImageKind.MM, p.getPid(), MmEntry.class);
            d.read(ImageKind.PAGEMAP, p.getPid());
        }
        for (Path f : d.files()) {
            ImageKind.byFileName(f.getFileName().toString()).ifPresent(k -> {
                if (k.magic() != 0) {
                    try (ImageReader r = ImageReader.open(f)) {
                        r.readAll();
                    }
                }
            });
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Busy loops, one per CPU-bound process, as the load under which the original defect showed. */
    static final class CpuLoad implements AutoCloseable {
        private final List<dev.jcr.testing.LiveProcess> loops = new ArrayList<>();

        CpuLoad(int n) {
            for (int i = 0; i < n; i++) {
                loops.add(dev.jcr.testing.LiveProcess.startCommand(List.of("sh", "-c", "echo READY; while :; do :; done"),
                        java.time.Duration.ofSeconds(20), "READY"));
            }
        }

        @Override
        public void close() {
            for (dev.jcr.testing.LiveProcess l : loops) {
                l.close();
            }
        }
    }
}
