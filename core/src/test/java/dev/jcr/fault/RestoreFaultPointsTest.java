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
