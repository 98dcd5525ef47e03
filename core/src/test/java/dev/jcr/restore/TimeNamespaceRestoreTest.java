package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.TimensEntry;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.sys.Linux;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree restored into a time namespace (its clocks going on from the dump's) can be dumped again:
 * the second dump records the clocks as the tree saw them, not jcr's, so a second restore continues
 * them once more and the time the tree spent dumped never shows.
 */
@Timeout(120)
class TimeNamespaceRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void aTreeInItsOwnTimeNamespaceIsDumpedWithTheClocksItSaw() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            int pid = (int) p.pid();
            Path first = tmp.resolve("first");
            new DumpEngine().dump(pid, new DumpOptions(first, true, false), DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            // a downtime the tree must not see
            Thread.sleep(1500);
            long beforeRestore = Linux.clockNanos(Linux.CLOCK_MONOTONIC);
            new RestoreEngine(null).restore(RestoreOptions.of(first).detached().withTimens(TimeNamespace.Mode.ALWAYS));
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/time")),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/time")));

            Path second = tmp.resolve("second");
            new DumpEngine().dump(pid, new DumpOptions(second, true, false), DumpListener.NONE);
            long afterSecond = Linux.clockNanos(Linux.CLOCK_MONOTONIC);
            long mono1 = monotonic(first);
            long mono2 = monotonic(second);
            assertTrue(mono2 >= mono1 && mono2 - mono1 <= afterSecond - beforeRestore, "the tree's clock went from "
                    + mono1 + " to " + mono2 + " while it ran for at most " + (afterSecond - beforeRestore) + " ns");

            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(second).detached()
                    .withTimens(TimeNamespace.Mode.ALWAYS));
            assertEquals(pid, r.rootPid());
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void aChildInAnotherTimeNamespaceThanTheRootIsRefusedByCheck() {
        try (LiveProcess p = Fixture.start("timens_child")) {
            long child = Long.parseLong(p.awaitOutput("CHILD", Duration.ofSeconds(10)).replaceAll("(?s).*CHILD (\\d+).*", "$1"));
            TreeReport r = TreeCheck.system().check(p.pid(), Set.of());
            assertFalse(r.checkpointable());
            assertTrue(r.messages().stream().anyMatch(m -> m.contains(Long.toString(child))
                    && m.contains("another time namespace than the tree's root")), r.messages().toString());
            assertTrue(r.messages().stream().noneMatch(m -> m.contains("pid " + p.pid() + " ")
                    || m.startsWith(p.pid() + " ")), "the root itself may live in any time namespace: " + r.messages());
        }
    }

    private static long monotonic(Path dir) {
        TimensEntry e = ImageDir.open(dir).readSingle(ImageKind.TIMENS, 0, TimensEntry.class);
        return e.getMonotonic().getTvSec() * 1_000_000_000L + e.getMonotonic().getTvNsec();
    }
}
