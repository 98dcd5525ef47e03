package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.FdKind;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.resource.memory.WriteTrackerDriver;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pre-dump leaves jcr's write tracker in the target and copies memory with the target running:
 * jcr dying then must leave the target running correctly, with a tracker that is harmless and that a
 * later dump recognises as jcr's (not a resource of the program).
 */
@Timeout(120)
class PreDumpGuaranteesTest {

    @TempDir
    Path tmp;

    private static List<OpenFd> userfaultfds(long pid) {
        return ProcFs.system().fds(pid).stream().filter(f -> f.kind() == FdKind.USERFAULTFD).toList();
    }

    @Test
    void jcrKilledDuringAPreDumpLeavesTheTargetRunningCorrectlyWithAHarmlessTracker() throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "64", "10")) {
            Path dir = tmp.resolve("pre");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process jcr = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    DumpMain.class.getName(), Long.toString(p.pid()), dir.toString(), "--pre-dump")
                    .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jcr.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean resumed = false;
                while ((line = r.readLine()) != null && !(resumed && line.startsWith("PAGES "))) {
                    resumed |= line.equals("PHASE RESUMING");
                }
                assertTrue(line != null, "the pre-dump never reached its copy");
                jcr.destroyForcibly(); // SIGKILL, while it copies from the running process
                assertTrue(jcr.waitFor(10, TimeUnit.SECONDS));
            }
            assertFalse(Files.exists(dir), "no directory with the image's name");
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path left : s.toList()) {
                    assertTrue(left.getFileName().toString().startsWith("."), "only a hidden temporary: " + left);
                }
            }
            assertTrue(Files.readString(Path.of("/proc/" + p.pid() + "/status")).contains("TracerPid:\t0"));

            // the tracker stays, armed, and the process writes through it without noticing
            List<OpenFd> trackers = userfaultfds(p.pid());
            assertEquals(1, trackers.size(), trackers.toString());
            assertTrue(WriteTrackerDriver.isTracker(trackers.get(0)), trackers.toString());
            assertTrue(trackers.get(0).fd() > 2, "out of the way of the standard descriptors");
            p.signal("USR1");
            String out = p.awaitOutput("PASS memhog", Duration.ofSeconds(30));
            assertFalse(out.contains("FAIL"), out);

            // jcr check calls it jcr's own, a later dump leaves it out
            TreeReport report = TreeCheck.system().check(p.pid(), Set.of());
            assertTrue(report.checkpointable(), report.messages().toString());
            Path full = tmp.resolve("full");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(full).withKill(true), DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            new RestoreEngine(null).restore(RestoreOptions.of(full).detached());
            assertEquals(List.of(), userfaultfds(p.pid()), "restored without jcr's tracker");
            p.signal("USR1");
            awaitPasses(p, 2);
        }
    }

    @Test
    void jcrKilledWhileTheLastDumpCopiesBeforeItsFreezeLeavesTheTargetRunningAndTheNextDumpTrustsNothing()
            throws Exception {
        // 100 % of 64 MiB per second: the copy before the freeze has most of the area to copy
        try (LiveProcess p = Fixture.start("memhog", "64", "100")) {
            Path pre = tmp.resolve("pre");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(pre).withPreDump(true), DumpListener.NONE);
            Thread.sleep(1000);
            Path fin = tmp.resolve("fin");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process jcr = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    DumpMain.class.getName(), Long.toString(p.pid()), fin.toString(), "--prev-images-dir", "../pre")
                    .redirectErrorStream(true).start();
            StringBuilder seen = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jcr.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean copying = false;
                while ((line = r.readLine()) != null && !(copying && line.startsWith("PAGES "))) {
                    seen.append(line).append('\n');
                    copying |= line.equals("PHASE PRECOPY");
                }
                assertTrue(line != null, "the dump never reached its copy before the freeze:\n" + seen);
                jcr.destroyForcibly(); // SIGKILL, while it copies from the running process
                assertTrue(jcr.waitFor(10, TimeUnit.SECONDS));
            }
            assertFalse(Files.exists(fin), "no directory with the image's name");
            assertTrue(Files.readString(Path.of("/proc/" + p.pid() + "/status")).contains("TracerPid:\t0"));
            assertEquals(1, userfaultfds(p.pid()).size(), "the tracker stays, harmless");
            p.signal("USR1");
            String out = p.awaitOutput("PASS memhog", Duration.ofSeconds(30));
            assertFalse(out.contains("FAIL"), out);

            // the killed dump reset the tracker: against PRE it proves nothing any more, so all is copied
            DumpResult again = new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("again"))
                    .withParent("../pre").withKill(true), DumpListener.NONE);
            assertEquals(0, again.stats().pagesInParent(), again.stats().toString());
            assertTrue(again.warnings().stream().anyMatch(w -> w.contains("reset after the parent dump")),
                    again.warnings().toString());
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            new RestoreEngine(null).restore(RestoreOptions.of(tmp.resolve("again")).detached());
            p.signal("USR1");
            awaitPasses(p, 2);
        }
    }

    /** Waits (bounded) until the fixture printed its N-th PASS, failing on a FAIL. */
    static void awaitPasses(LiveProcess p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
        while (p.stdout().split("PASS memhog", -1).length - 1 < n && System.nanoTime() < deadline) {
            assertFalse(p.stdout().contains("FAIL"), p.stdout());
            assertTrue(p.isAlive(), p.stdout());
            Thread.sleep(20);
        }
        assertEquals(n, p.stdout().split("PASS memhog", -1).length - 1, p.stdout());
    }

    @Test
    void aDumpWithoutTrackingThatLeavesTheTreeRunningRemovesTheTracker() {
        try (LiveProcess p = Fixture.start("memhog", "8", "10")) {
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("pre")).withPreDump(true), DumpListener.NONE);
            assertEquals(1, userfaultfds(p.pid()).size());
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("fin")).withParent("../pre"), DumpListener.NONE);
            assertEquals(List.of(), userfaultfds(p.pid()), "tracking ends with a dump that does not ask to keep it");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("again")).withTrackMem(true), DumpListener.NONE);
            assertEquals(1, userfaultfds(p.pid()).size(), "--track-mem arms it again");
            p.signal("USR1");
            p.awaitOutput("PASS memhog", Duration.ofSeconds(30));
        }
    }
}
