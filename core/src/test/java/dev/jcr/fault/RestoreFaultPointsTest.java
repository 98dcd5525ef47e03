package dev.jcr.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.testing.CrashTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr dying (SIGKILL) or failing (a throw) at every step of a restore leaves no half-restored process:
 * before the release is committed, every process it created (and the seed) is gone and every pid is
 * free again; from the commit on, the whole tree runs, intact. On a plain process and on a tree
 * (whose non-root processes are held by their parent-death signal while the root is held by
 * PTRACE_O_EXITKILL), from images of the crashcheck fixture.
 */
class RestoreFaultPointsTest {

    static final List<String> POINTS = Faults.ALL.stream().filter(p -> p.area().equals("restore"))
            .map(Faults.Point::name).toList();

    @TempDir
    Path tmp;

    @Test
    void killedAtEveryRestoreStepAPlainProcessIsAllOrNothing() {
        loop(CrashTarget.Shape.PLAIN, true, POINTS);
    }

    @Test
    void killedAtEveryRestoreStepATreeIsAllOrNothing() {
        List<String> specs = new ArrayList<>(POINTS);
        specs.add("restore.cloned:3"); // the last process of the tree exists, the others too
        loop(CrashTarget.Shape.TREE, true, specs);
    }

    @Test
    void throwingAtEveryRestoreStepLeavesNothingOrTheWholeTree() {
        loop(CrashTarget.Shape.TREE, false, POINTS);
    }

    /**
     * Into a new PID namespace the namespace's init (a clone of the seed, so it carries the seed's
     * marker) is let go last: jcr killed before that kills it, and with it every process of the
     * namespace; from the commit on the init stays and the tree runs in it with its dumped pids.
     */
    @Test
    void killedAtEveryRestoreStepIntoANewPidNamespaceATreeIsAllOrNothing() {
        List<String> failures = new ArrayList<>();
        Path images = tmp.resolve("img");
        try (CrashTarget target = new CrashTarget(CrashTarget.Shape.TREE)) {
            new DumpEngine().dump(target.pid(), DumpOptions.to(images).withKill(true), DumpListener.NONE);
            assertEquals(null, target.awaitAllGone(), "the dumped tree was killed");
            for (String point : POINTS) {
                String what = "TREE " + point + " (kill, new PID namespace)";
                long jcr = -1;
                try {
                    FaultRun.Result r = FaultRun.restoreKilledInPidNamespace(point, images);
                    jcr = r.jcrPid();
                    assertTrue(r.fired(), what + ": the point was not reached: " + r.output());
                    if (point.equals(Faults.RESTORE_COMMITTED.name())) {
                        String seeds = leftoverSeeds(jcr);
                        assertTrue(seeds != null && !seeds.contains(","), what + ": one init stays: " + seeds);
                        long init = Long.parseLong(seeds.substring(1, seeds.length() - 1));
                        assertNamespaceRuns(what, init, target);
                    } else {
                        String left = awaitNoSeeds(jcr);
                        if (left != null) {
                            throw new AssertionError("a half-restored namespace: init " + left + " lives");
                        }
                    }
                    System.out.printf("FAULT-RUN %s fired%n", what);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(what + ": " + e.getMessage());
                }
                if (jcr > 0) {
                    killSeeds(jcr);
                }
            }
        } finally {
            FaultRun.done();
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + POINTS.size() + " left something:\n"
                + String.join("\n", failures));
    }

    /** The tree runs in INIT's namespace: its root with the dumped pid, every process running and untraced. */
    private static void assertNamespaceRuns(String what, long init, CrashTarget target) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String why = "";
        while (System.nanoTime() < deadline) {
            why = namespaceNotRunning(init, target);
            if (why == null) {
                return;
            }
            sleepMillis(20);
        }
        throw new AssertionError(what + ": " + why);
    }

    private static String namespaceNotRunning(long init, CrashTarget target) {
        try {
            return namespaceNotRunningOrGone(init, target);
        } catch (IOException e) {
            return "a process of the namespace ended: " + e.getMessage();
        }
    }

    private static String namespaceNotRunningOrGone(long init, CrashTarget target) throws IOException {
        List<Long> members = new ArrayList<>();
        List<Long> next = List.of(init);
        while (!next.isEmpty()) {
            List<Long> found = new ArrayList<>();
            for (long p : next) {
                String kids = Files.readString(Path.of("/proc/" + p + "/task/" + p + "/children")).strip();
                for (String k : kids.isEmpty() ? new String[0] : kids.split(" ")) {
                    found.add(Long.parseLong(k));
                }
            }
            members.addAll(found);
            next = found;
        }
        if (members.size() != target.pids().size()) {
            return "the namespace holds " + members + ", the tree had " + target.pids();
        }
        for (long m : members) {
            String status = Files.readString(Path.of("/proc/" + m + "/status"));
            String state = field(status, "State");
            if (!state.startsWith("S") && !state.startsWith("R")) {
                return "process " + m + " is " + state;
            }
            if (!field(status, "TracerPid").equals("0")) {
                return "process " + m + " is still traced";
            }
        }
        String root = field(Files.readString(Path.of("/proc/" + members.get(0) + "/status")), "NSpid");
        return root.endsWith("\t" + target.pid()) ? null : "the root's pids are " + root;
    }

    private static String field(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).findFirst().orElse(key + ":?")
                .substring(key.length() + 1).strip();
    }

    /** Null once no process carries the marker of the seed jcr JCR spawned (bounded wait); else who does. */
    private static String awaitNoSeeds(long jcr) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String left = leftoverSeeds(jcr);
        while (left != null && System.nanoTime() < deadline) {
            sleepMillis(20);
            left = leftoverSeeds(jcr);
        }
        return left;
    }

    /** SIGKILL to every process with JCR's seed marker (an init ends its namespace), waited for. */
    private static void killSeeds(long jcr) {
        String left = leftoverSeeds(jcr);
        if (left == null) {
            return;
        }
        for (String pid : left.substring(1, left.length() - 1).split(", ")) {
            try {
                dev.jcr.sys.Linux.kill(Integer.parseInt(pid), 9);
            } catch (RuntimeException gone) {
                // ended meanwhile
            }
        }
        awaitNoSeeds(jcr);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void loop(CrashTarget.Shape shape, boolean kill, List<String> specs) {
        List<String> failures = new ArrayList<>();
        Path images = tmp.resolve("img");
        try (CrashTarget target = new CrashTarget(shape)) {
            target.checkRound("before the dump");
            new DumpEngine().dump(target.pid(), DumpOptions.to(images).withKill(true), DumpListener.NONE);
            assertEquals(null, target.awaitAllGone(), "the dumped tree was killed");
            Map<Integer, Integer> dumpedRounds = target.rounds();
            long dumpedOutput = target.outputSize();
            for (String spec : specs) {
                String point = spec.split(":")[0];
                String what = shape + " " + spec + (kill ? " (kill)" : " (throw)");
                target.rounds(dumpedRounds);
                target.truncateOutput(dumpedOutput);
                try {
                    FaultRun.Result r = kill ? FaultRun.restoreKilled(spec, images) : restoreThrowing(spec);
                    assertTrue(r.fired(), what + ": the point was not reached: " + r.output());
                    if (point.equals(Faults.RESTORE_COMMITTED.name())) {
                        target.assertRestoredAndIntact(what);
                        target.killAll();
                    } else {
                        String left = target.awaitAllGone();
                        if (left != null) {
                            target.killAll();
                            throw new AssertionError("a half-restored tree: " + left);
                        }
                    }
                    String seeds = leftoverSeeds(r.jcrPid());
                    if (seeds != null) {
                        throw new AssertionError("a seed outlived jcr: " + seeds);
                    }
                    System.out.printf("FAULT-RUN %s fired%n", what);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(what + ": " + e.getMessage());
                    target.killAll();
                }
            }
            // and without a fault the same images restore and run intact
            target.rounds(dumpedRounds);
            target.truncateOutput(dumpedOutput);
            new RestoreEngine(null).restore(RestoreOptions.of(images).detached());
            target.assertRestoredAndIntact(shape + " restored without a fault");
            target.finish();
        } finally {
            FaultRun.done();
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + specs.size() + " left something:\n"
                + String.join("\n", failures));
    }

    private FaultRun.Result restoreThrowing(String spec) {
        Faults.arm(spec.split(":")[0] + ":throw");
        try {
            new RestoreEngine(null).restore(RestoreOptions.of(tmp.resolve("img")).detached());
            return new FaultRun.Result(spec, false, 0, "", ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            // the engine reports anything that is not a JcrException as an internal RestoreException
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof InjectedFault) {
                    return new FaultRun.Result(spec, true, 70, e.getMessage(), ProcessHandle.current().pid());
                }
            }
            throw e;
        } finally {
            Faults.disarm();
        }
    }

    /** Processes whose environment names JCR_PID as the jcr that spawned them as a seed, or null. */
    static String leftoverSeeds(long jcrPid) {
        String marker = "JCR_SEED_OF=" + jcrPid;
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")));
                    if (List.of(env.split("\0")).contains(marker)) {
                        found.add(name);
                    }
                } catch (IOException e) {
                    // gone or not ours to read
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found.isEmpty() ? null : found.toString();
    }
}
