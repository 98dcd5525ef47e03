package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr's own dumps restored by jcr: start a fixture, dump it with --kill, restore the images with the
 * same pid, and let the fixture verify its own state (it prints PASS on SIGUSR1).
 */
@Timeout(120)
class DumpRestoreTest {

    @TempDir
    Path tmp;

    /** Dumps P (killing it), waits until its pid is free, restores detached. */
    private RestoreResult dumpKillRestore(LiveProcess p, Path dir) {
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        return r;
    }

    @Test
    void loopDumpedAndKilledRunsOnAfterRestoreAndPasses() {
        try (LiveProcess p = Fixture.start("loop")) {
            dumpKillRestore(p, tmp.resolve("img"));
            assertTrue(p.isAlive());
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void eventfdCountersAndSemaphoreModeSurviveDumpKillRestore() {
        try (LiveProcess p = Fixture.start("eventfd")) {
            dumpKillRestore(p, tmp.resolve("img"));
            p.signal("USR1");
            p.awaitOutput("PASS eventfd", Duration.ofSeconds(10));
        }
    }

    @Test
    void sameImagesRestoreTwiceInARow() {
        try (LiveProcess p = Fixture.start("loop")) {
            Path dir = tmp.resolve("img");
            dumpKillRestore(p, dir);
            p.signal("KILL");
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            RestoreResult again = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            assertEquals((int) p.pid(), again.rootPid());
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void patternedMemoryWithHolesReadOnlyAndProtNonePagesSurvives() {
        try (LiveProcess p = Fixture.start("pattern", "8")) {
            dumpKillRestore(p, tmp.resolve("img"));
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(10));
            assertTrue(!out.contains("FAIL"), out);
        }
    }

    @Test
    void vectorRegistersSurvive() {
        try (LiveProcess p = Fixture.start("fpu")) {
            dumpKillRestore(p, tmp.resolve("img"));
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }
}
