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
 * Process and thread state beyond memory and files, dumped with --kill and restored by jcr; each
 * fixture checks its own state after the restore and prints PASS or FAIL.
 */
@Timeout(120)
class ProcessStateRestoreTest {

    @TempDir
    Path tmp;

    private void dumpKillRestore(LiveProcess p) {
        Path dir = tmp.resolve("img");
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
    }

    @Test
    void pendingSignalsAreDeliveredAfterRestoreWithTheirSiginfoAndRtValuesInOrder() {
        try (LiveProcess p = Fixture.start("sigpending")) {
            dumpKillRestore(p);
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(20));
        }
    }

    @Test
    void posixTimersComeBackWithTheirIdsAndKeepFiringAndUmaskPersonalityCommCwdHold() {
        try (LiveProcess p = Fixture.start("timers")) {
            dumpKillRestore(p);
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(30));
            org.junit.jupiter.api.Assertions.assertFalse(out.contains("FAIL"), out);
        }
    }

    @Test
    void droppedCapabilitiesGroupsAndNoNewPrivsAreNotWidenedByTheRestore() {
        try (LiveProcess p = Fixture.start("creds")) {
            dumpKillRestore(p);
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(20));
        }
    }

    @Test
    void aProcessThatLeftRootComesBackWithItsOwnIdsAndKeptCapabilities() {
        // real, effective, saved and fs ids all different, as a daemon's worker has them after setuid
        try (LiveProcess p = Fixture.start("creds", "other")) {
            String before = p.awaitOutput("READY", Duration.ofSeconds(20));
            assertTrue(before.contains("Uid:\t1000\t1001\t1002\t1001"), before);
            dumpKillRestore(p);
            assertEquals("1000\t1001\t1002\t1001", statusLine(p.pid(), "Uid"));
            assertEquals("100\t101\t102\t101", statusLine(p.pid(), "Gid"));
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            org.junit.jupiter.api.Assertions.assertFalse(out.contains("FAIL"), out);
        }
    }

    private static String statusLine(long pid, String key) {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim())
                    .findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyThreadKeepsItsRegistersPrivatePendingSignalAndThreadDirectedTimer() {
        try (LiveProcess p = Fixture.startWithFlags("mtstate", java.util.List.of("-pthread"))) {
            dumpKillRestore(p);
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(30));
            org.junit.jupiter.api.Assertions.assertFalse(out.contains("FAIL"), out);
        }
    }

    @Test
    void sigstateFixtureKeepsHandlersAltstackTimersNiceAndPendingSignals() {
        try (LiveProcess p = Fixture.start("sigstate")) {
            dumpKillRestore(p);
            // sigstate waits in `while (!check) pause();`: one USR1 sent at once must end it (a
            // restored pause() returns EINTR after a handler, as the original's would)
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            org.junit.jupiter.api.Assertions.assertFalse(out.contains("FAIL"), out);
        }
    }
}
