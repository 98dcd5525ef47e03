package dev.jcr.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.CrashTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last dump of a chain ({@code --prev-images-dir}) has steps of its own: a practice on a throwaway
 * process, a copy with the tree running before its freeze, trackers closed after the release, the
 * copied pages put in place before the commit. jcr dying (SIGKILL) or failing (a throw) at every dump
 * point of such a dump, the two points of those steps included, leaves its target exactly as
 * {@link DumpFaultPointsTest} requires: alive, running, untraced, with its threads, children,
 * descriptors (its write tracker among them) and mappings, registers and memory intact, and no
 * directory claiming completeness.
 */
class ChainFaultPointsTest {

    /** Every point of a dump, and those of the chain's own steps. */
    static final List<String> POINTS = Faults.ALL.stream().filter(p -> !p.area().equals("restore"))
            .map(Faults.Point::name).toList();

    private static final Set<String> REACHED = new LinkedHashSet<>();

    @TempDir
    Path tmp;

    @Test
    void killedAtEveryPointTheLastDumpOfAChainLeavesATreeUnharmed() {
        loop(CrashTarget.Shape.TREE, true);
    }

    @Test
    void throwingAtEveryPointTheLastDumpOfAChainLeavesAMultithreadedProcessUnharmed() {
        loop(CrashTarget.Shape.THREADED, false);
    }

    @AfterAll
    static void theChainsOwnPointsAreReached() {
        if (REACHED.isEmpty()) {
            return;
        }
        System.out.println("FAULT-SUMMARY chain points=" + POINTS.size() + " reached=" + REACHED.size());
        List<String> own = new ArrayList<>(List.of(Faults.CHAIN_PRECOPY.name(), Faults.CHAIN_FILLED.name(),
                Faults.DUMP_FROZEN.name(), Faults.DUMP_MEMORY.name(), Faults.DUMP_RELEASED.name()));
        own.removeAll(REACHED);
        assertEquals(List.of(), own, "points the last dump of a chain must pass");
    }

    private void loop(CrashTarget.Shape shape, boolean kill) {
        List<String> failures = new ArrayList<>();
        CrashTarget target = new CrashTarget(shape);
        try {
            int n = 0;
            for (String point : POINTS) {
                Path round = tmp.resolve(shape + "-" + n++);
                Path out = round.resolve("out");
                Path fin = out.resolve("fin");
                String what = "chain " + shape + " " + point + (kill ? ":kill" : ":throw");
                try {
                    Files.createDirectories(out);
                    // the parent: a pre-dump, which arms (or resets) the tracker the final dump relies on
                    new DumpEngine().dump(target.pid(), DumpOptions.to(round.resolve("pre")).withPreDump(true),
                            DumpListener.NONE);
                    target.snapshot();
                    FaultRun.Result r = kill ? FaultRun.dumpKilled(point, target.pid(), fin, "../../pre")
                            : FaultRun.dumpThrowing(point, target.pid(),
                                    DumpOptions.to(fin).withParent("../../pre").withTrackMem(true));
                    if (r.fired()) {
                        synchronized (REACHED) {
                            REACHED.add(point);
                        }
                    }
                    FaultRun.assertHarmless(what, point, kill, r, target, out, fin);
                    FaultRun.deleteTree(round);
                } catch (AssertionError | RuntimeException | java.io.IOException e) {
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
        assertTrue(failures.isEmpty(), failures.size() + " harmed of " + POINTS.size() + ":\n" + String.join("\n", failures));
    }
}
