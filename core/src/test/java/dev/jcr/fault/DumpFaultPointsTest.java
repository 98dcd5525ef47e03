package dev.jcr.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.CrashTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr dying (SIGKILL) or failing (a throw) at every fault point of a dump never harms its target: a
 * plain process, a multi-threaded one and a small tree, each holding patterns in registers (ymm,
 * general) and memory while its threads wait in interrupted syscalls of all three restart kinds.
 * After each run every process must be alive, running, untraced, with its threads, children,
 * descriptors and mappings (the page drain's small area excepted, where jcr died while it existed),
 * pass a check round of its registers and memory, and no image directory may claim completeness
 * unless the dump got that far. Under CPU load (two busy loops) a representative subset runs again:
 * the points inside remote syscalls and the page drain, where timing matters.
 */
class DumpFaultPointsTest {

    /**
     * The dump side of the registry: freezing, remote sessions and syscall kinds, the drain, dump
     * phases (-Djcr.faults=a,b,… narrows it while working on a few).
     */
    static final List<Faults.Point> POINTS = Faults.ALL.stream()
            .filter(p -> !p.area().equals("restore") && !p.area().equals("chain")) // chain: ChainFaultPointsTest
            .filter(p -> System.getProperty("jcr.faults", "").isBlank()
                    || List.of(System.getProperty("jcr.faults").split(",")).contains(p.name()))
            .toList();

    /** Under load: where a tracee is mid-conversation with jcr (the defect's windows). */
    static final List<String> UNDER_LOAD = List.of("freeze.seized", "remote.open", "remote.entry",
            "remote.syscall.rt_sigaction", "remote.syscall.clone3", "remote.exit", "remote.close", "drain.helper",
            "drain.running", "drain.spliced", "dump.memory");

    private static final Set<String> REACHED = new LinkedHashSet<>();
    private static int runs;

    @TempDir
    Path tmp;

    @Test
    void killedAtEveryPointAPlainProcessIsUnharmed() {
        loop(CrashTarget.Shape.PLAIN, true, names(POINTS));
    }

    @Test
    void killedAtEveryPointAMultithreadedProcessIsUnharmed() {
        loop(CrashTarget.Shape.THREADED, true, names(POINTS));
    }

    @Test
    void killedAtEveryPointATreeIsUnharmed() {
        loop(CrashTarget.Shape.TREE, true, names(POINTS));
    }

    @Test
    void throwingAtEveryPointLeavesEveryShapeUnharmedAndNoDirectory() {
        for (CrashTarget.Shape shape : List.of(CrashTarget.Shape.PLAIN, CrashTarget.Shape.THREADED, CrashTarget.Shape.TREE)) {
            loop(shape, false, names(POINTS));
        }
    }

    @Test
    void killedInsideRemoteCallsAndTheDrainUnderCpuLoadTheTargetsAreUnharmed() {
        try (FaultRun.CpuLoad load = new FaultRun.CpuLoad(2)) {
            loop(CrashTarget.Shape.PLAIN, true, UNDER_LOAD);
            loop(CrashTarget.Shape.THREADED, true, UNDER_LOAD);
        }
    }

    @AfterAll
    static void everyDumpPointIsReachedByTheseFixtures() {
        if (REACHED.isEmpty()) {
            return; // only some tests ran
        }
        List<String> missing = new ArrayList<>(names(POINTS));
        missing.removeAll(REACHED);
        System.out.println("FAULT-SUMMARY dump points=" + POINTS.size() + " reached=" + REACHED.size() + " runs=" + runs
                + " harmed=0");
        assertEquals(List.of(), missing, "fault points no dump of the fixtures reaches");
    }

    private static List<String> names(List<Faults.Point> points) {
        return points.stream().map(Faults.Point::name).toList();
    }

    private void loop(CrashTarget.Shape shape, boolean kill, List<String> points) {
        List<String> failures = new ArrayList<>();
        CrashTarget target = new CrashTarget(shape);
        try {
            int n = 0;
            for (String point : points) {
                Path parent = tmp.resolve(shape + "-" + (kill ? "kill" : "throw") + "-" + n++);
                parent.toFile().mkdirs();
                Path dir = parent.resolve("img");
                String what = shape + " " + point + (kill ? ":kill" : ":throw");
                try {
                    long t0 = System.nanoTime();
                    target.snapshot();
                    FaultRun.Result r = kill ? FaultRun.dumpKilled(point, target.pid(), dir)
                            : FaultRun.dumpThrowing(point, target.pid(), dir);
                    synchronized (REACHED) {
                        runs++;
                        if (r.fired()) {
                            REACHED.add(point);
                        }
                    }
                    FaultRun.assertHarmless(what, point, kill, r, target, parent, dir);
                    System.out.printf("FAULT-RUN %s %s %d ms%n", what, r.fired() ? "fired" : "not-reached",
                            (System.nanoTime() - t0) / 1_000_000);
                } catch (AssertionError | RuntimeException e) {
                    failures.add(what + ": " + e.getMessage());
                    target.close();
                    target = new CrashTarget(shape);
                }
            }
            if (failures.isEmpty()) {
                target.finish();
            }
        } finally {
            FaultRun.done();
            target.close();
        }
        assertTrue(failures.isEmpty(), failures.size() + " harmed of " + points.size() + ":\n" + String.join("\n", failures));
    }
}
