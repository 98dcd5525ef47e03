package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is lost: whatever makes a dump fail, the target runs on correctly and no directory claims to be complete. */
class DumpGuaranteesTest {

    @TempDir
    Path tmp;

    private static void assertUnharmed(LiveProcess p) {
        assertTrue(p.isAlive());
        String status = readStatus(p.pid());
        assertTrue(status.contains("TracerPid:\t0"), "no tracer left: " + status);
        p.signal("USR1");
        String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
        assertFalse(out.contains("FAIL"), out);
    }

    private static String readStatus(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/status"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertNothingLeftIn(Path parent) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            assertEquals(List.of(), s.toList(), "no image or temporary directory left");
        }
    }

    @Test
    void aDeletedFileOverTheGhostLimitRefusesTheDumpEvenWithKill() throws Exception {
        Path files = Files.createDirectory(tmp.resolve("files"));
        Path images = Files.createDirectory(tmp.resolve("images"));
        try (LiveProcess p = Fixture.start("files", files.toString())) {
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    new DumpOptions(images.resolve("img"), true, false), DumpListener.NONE));
            assertEquals(JcrException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("deleted file " + files.resolve("big-deleted")
                    + " (2 MiB): larger than the ghost-file limit of 1 MiB"), e.getMessage());
            assertFalse(e.getMessage().contains("small-deleted"), "small deleted files are restorable: " + e.getMessage());
            assertFalse(e.getMessage().contains("FIFO"), "FIFOs are restorable: " + e.getMessage());
            assertNothingLeftIn(images);
            assertUnharmed(p);
        }
    }

    @Test
    void aMissingParentDirectoryFailsBeforeFreezing() {
        try (LiveProcess p = Fixture.start("loop")) {
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(tmp.resolve("no/such/dir")), DumpListener.NONE));
            assertEquals(JcrException.Kind.IO, e.kind());
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
            assertUnharmed(p);
        }
    }

    @Test
    void anExistingDirectoryIsNeverOverwritten() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("img"));
        Files.writeString(dir.resolve("keep"), "mine");
        try (LiveProcess p = Fixture.start("loop")) {
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(dir), DumpListener.NONE));
            assertEquals(JcrException.Kind.IO, e.kind());
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals("mine", Files.readString(dir.resolve("keep")));
            assertUnharmed(p);
        }
    }

    /** A tmpfs of SIZE (mount's size=) under the test's directory: a disk that fills up. */
    private Path smallDisk(String size) throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "jcr-test", mnt.toString())
                .redirectErrorStream(true).start();
        String why = new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Need.environment(m.waitFor() == 0, "cannot mount a tmpfs here: " + why);
        return mnt;
    }

    @Test
    void aFullDiskFailsTheDumpAndLeavesNoDirectory() throws Exception {
        Path mnt = smallDisk("2m");
        try (LiveProcess p = Fixture.start("pattern", "16")) {
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(mnt.resolve("img")), DumpListener.NONE));
            assertEquals(JcrException.Kind.IO, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("space"), e.getMessage());
            assertNothingLeftIn(mnt);
            assertUnharmed(p);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void aDiskTooSmallForTheCopyBeforeTheLastFreezeFailsTheDumpBeforeAnythingIsFrozen() throws Exception {
        Path mnt = smallDisk("8m");
        // 100 % of 16 MiB per second: a second after the pre-dump, twice what the disk holds was written
        try (LiveProcess p = Fixture.start("memhog", "16", "100")) {
            Path pre = tmp.resolve("pre");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(pre).withPreDump(true), DumpListener.NONE);
            Thread.sleep(1000);
            List<DumpPhase> phases = new java.util.ArrayList<>();
            DumpListener seen = new DumpListener() {
                @Override
                public void phase(DumpPhase phase) {
                    phases.add(phase);
                }
            };
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(mnt.resolve("img")).withParent(pre.toString()), seen));
            assertEquals(JcrException.Kind.IO, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("no space left on device") && e.getMessage().contains(mnt.resolve("img").toString()),
                    e.getMessage());
            assertTrue(phases.contains(DumpPhase.PRECOPY) && !phases.contains(DumpPhase.FREEZING), phases.toString());
            assertNothingLeftIn(mnt);
            assertUnharmed(p);
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
    }

    @Test
    void anUnsupportedResourceFoundAfterTheCheckAbandonsTheDump() throws Exception {
        try (LiveProcess p = Fixture.start("lateopen")) {
            Path dir = tmp.resolve("img");
            // between the check and the freeze, the process opens a pidfd
            DumpListener opensLate = new DumpListener() {
                @Override
                public void phase(DumpPhase phase) {
                    if (phase == DumpPhase.FREEZING) {
                        p.signal("USR2");
                        p.awaitOutput("OPENED", Duration.ofSeconds(10));
                    }
                }
            };
            NotDumpableException e = assertThrows(NotDumpableException.class,
                    () -> new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), opensLate));
            assertEquals(JcrException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().contains("pidfd"), e.getMessage());
            assertNothingLeftIn(tmp);
            assertUnharmed(p);
        }
    }

    @Test
    void jcrKilledInTheMiddleOfADumpLeavesTheTargetRunningAndNoCompleteDirectory() throws Exception {
        try (LiveProcess p = Fixture.start("pattern", "512")) {
            Path dir = tmp.resolve("img");
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process jcr = new ProcessBuilder(java.toString(), "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                    DumpMain.class.getName(), Long.toString(p.pid()), dir.toString()).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(jcr.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && !line.startsWith("PAGES ")) {
                    // wait until pages are being copied
                }
                assertTrue(line != null, "the dump never reached the memory phase");
                jcr.destroyForcibly(); // SIGKILL
                assertTrue(jcr.waitFor(10, TimeUnit.SECONDS));
            }
            assertFalse(Files.exists(dir), "no directory with the image's name");
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path left : s.toList()) {
                    assertTrue(left.getFileName().toString().startsWith("."), "only a hidden temporary remains: " + left);
                    assertFalse(Files.exists(left.resolve("inventory.img")), "the temporary does not look complete");
                }
            }
            // the kernel detached the tree when its tracer died
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!readStatus(p.pid()).contains("TracerPid:\t0") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertUnharmed(p);
        }
    }

    @Test
    void killAfterDumpLeavesTheImagesAndNoProcess() {
        LiveProcess p = Fixture.start("loop");
        try (p) {
            Path dir = tmp.resolve("img");
            DumpResult r = new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir).withKill(true), DumpListener.NONE);
            assertTrue(r.killed());
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "killed and reaped");
            assertTrue(Files.exists(dir.resolve("inventory.img")));
        }
    }

    @Test
    void aMissingProcessIsReportedAsSuch() {
        JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump(999_999_999,
                DumpOptions.to(tmp.resolve("img")), DumpListener.NONE));
        assertEquals(JcrException.Kind.NO_SUCH_PROCESS, e.kind());
        assertFalse(Files.exists(tmp.resolve("img")));
    }

    @Test
    void aProcessTracedBySomeoneElseIsRefusedUntouched() throws Exception {
        try (LiveProcess p = Fixture.start("traced")) {
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(tmp.resolve("img")), DumpListener.NONE));
            assertEquals(JcrException.Kind.TRACED, e.kind(), "a tracer is in the way, not a resource");
            assertTrue(e.getMessage().contains("already traced"), e.getMessage());
            assertNothingLeftIn(tmp);
        }
    }
}
