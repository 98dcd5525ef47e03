package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PipeDataEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.image.proto.RemapFilePathEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource kinds beyond plain files and pipes, each through a real dump (--kill), CRIU's crit on the
 * images, and a restore with the original pids; the fixture then checks its own state and prints PASS.
 */
@Timeout(120)
class KindsRestoreTest {

    private static final int VMA_ANON_SHARED = 1 << 8;

    @TempDir
    Path tmp;

    /** Children the fixtures fork: LiveProcess only knows the root. */
    private final List<Long> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        for (long pid : children) {
            try {
                dev.jcr.sys.Linux.kill((int) pid, 9);
            } catch (RuntimeException ignored) {
                // already gone
            }
            LiveProcess.awaitGone(pid, Duration.ofSeconds(20));
        }
    }

    private long child(LiveProcess p) {
        for (String line : p.stdout().split("\n")) {
            if (line.startsWith("CHILD ")) {
                long pid = Long.parseLong(line.substring(6).trim());
                children.add(pid);
                return pid;
            }
        }
        throw new AssertionError("fixture printed no CHILD line: " + p.stdout());
    }

    private static String mapsLine(long pid, long start) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                    .filter(l -> l.startsWith(Long.toHexString(start) + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no mapping at " + Long.toHexString(start) + " in " + pid));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void dumpAndKill(LiveProcess p, Path dir) {
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
        for (long c : children) {
            LiveProcess.awaitGone(c, Duration.ofSeconds(20));
        }
    }

    private void restoreAndPass(LiveProcess p, Path dir, String pass) {
        restoreAndPass(p, dir, pass, () -> { });
    }

    /** Restores DIR detached, runs RESTORED (checks on the restored, not yet signalled tree), then asks for PASS. */
    private void restoreAndPass(LiveProcess p, Path dir, String pass, Runnable restored) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        restored.run();
        p.signal("USR1");
        String out;
        try {
            out = p.awaitOutput(pass, Duration.ofSeconds(10));
        } catch (AssertionError e) {
            StringBuilder d = new StringBuilder();
            List<Long> all = new ArrayList<>(children);
            all.add(p.pid());
            for (long pid : all) {
                for (String f : List.of("stat", "wchan", "syscall")) {
                    try {
                        d.append(pid).append(' ').append(f).append(": ").append(Files.readString(Path.of("/proc/" + pid + "/" + f))).append('\n');
                    } catch (Exception x) {
                        d.append(pid).append(' ').append(f).append(": ").append(x).append('\n');
                    }
                }
                try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                    for (Path fd : fds.toList()) {
                        d.append(fd).append(" -> ").append(Files.readSymbolicLink(fd)).append(" ").append(Files.readString(Path.of("/proc/" + pid + "/fdinfo/" + fd.getFileName()))).append('\n');
                    }
                } catch (Exception x) {
                    d.append(x);
                }
            }
            throw new AssertionError(e.getMessage() + "\nDIAG\n" + d, e);
        }
        assertFalse(out.contains("FAIL"), out);
    }

    @Test
    void fifoSharedByParentAndChildIsReopenedWithItsFlagsAndDataRefilledOnce() {
        try (LiveProcess p = Fixture.start("fifo", tmp.toString())) {
            child(p);
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);

            ImageDir img = ImageDir.open(dir);
            List<FileEntry> fifos = img.readAll(ImageKind.FILES, null, FileEntry.class).stream()
                    .filter(f -> f.getType() == FdTypes.FIFO).toList();
            assertEquals(2, fifos.size(), "the read and the write end are two descriptions: " + fifos);
            assertEquals(fifos.get(0).getFifo().getPipeId(), fifos.get(1).getFifo().getPipeId());
            List<ImageEntry> data = img.read(ImageKind.FIFO_DATA, null);
            assertEquals(1, data.size(), "one buffer for the FIFO, however many fds and processes hold it");
            assertEquals(3000, data.get(0).as(PipeDataEntry.class).getBytes());

            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            String files = Crit.decode(dir.resolve("files.img"));
            assertTrue(files.contains("\"FIFO\"") && files.contains(tmp.resolve("fifo").toString()), files);
            assertTrue(Crit.decode(dir.resolve("fifo-data.img")).contains("\"bytes\": 3000"));

            restoreAndPass(p, dir, "PASS fifo");
        }
    }

    @Test
    void deletedFileIsRecreatedUnlinkedWithItsContentHoleModeOffsetsAndSharing() throws Exception {
        try (LiveProcess p = Fixture.start("ghost", tmp.toString())) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);

            ImageDir img = ImageDir.open(dir);
            List<RemapFilePathEntry> remaps = img.readAll(ImageKind.REMAP_FPATH, null, RemapFilePathEntry.class);
            assertEquals(2, remaps.size(), "two descriptions of the deleted file (fd 5/6 and fd 7): " + remaps);
            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            String ghost = Crit.decode(dir.resolve("ghost-file-1.img"));
            assertTrue(ghost.contains("\"size\": 200000") && ghost.contains("\"mode\": 33184")
                    && ghost.contains("\"uid\": 4321"), ghost);

            restoreAndPass(p, dir, "PASS ghost");
            try (var left = Files.list(tmp)) {
                assertEquals(List.of(dir), left.toList(), "the recreated file keeps no name in the directory");
            }
        }
    }

    @Test
    void deletedFileWhoseDirectoryIsGoneIsRefusedBeforeAnyProcessIsCreated() throws Exception {
        Path sub = Files.createDirectory(tmp.resolve("sub"));
        try (LiveProcess p = Fixture.start("ghost", sub.toString())) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            Files.delete(sub);
            RestoreException e = assertThrows(RestoreException.class,
                    () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
            assertEquals(JcrException.Kind.CONFLICT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("deleted file " + dev.jcr.Quote.of(sub.resolve("ghost").toString())), e.getMessage());
            assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "nothing was created");
        }
    }

    @Test
    void sharedAnonymousMemoryIsSavedOnceAndSharedAgainByParentAndChild() throws Exception {
        try (LiveProcess p = Fixture.start("shmem")) {
            long child = child(p);
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);

            ImageDir img = ImageDir.open(dir);
            List<VmaEntry> shared = img.readSingle(ImageKind.MM, (int) p.pid(), MmEntry.class).getVmasList().stream()
                    .filter(v -> (v.getStatus() & VMA_ANON_SHARED) != 0).toList();
            assertEquals(2, shared.size(), "the 16-page area and the read-only one: " + shared);
            VmaEntry big = shared.stream().filter(v -> v.getEnd() - v.getStart() == 16 * 4096).findFirst().orElseThrow();
            List<VmaEntry> inChild = img.readSingle(ImageKind.MM, (int) child, MmEntry.class).getVmasList().stream()
                    .filter(v -> (v.getStatus() & VMA_ANON_SHARED) != 0).toList();
            assertTrue(inChild.stream().anyMatch(v -> v.getShmid() == big.getShmid()), "the child maps the same object");
            // pages 0-3 (parent), 8-9 (child only): saved once, from the object, at offsets within it
            List<ImageEntry> pm = img.read(ImageKind.PAGEMAP, "shmem-" + big.getShmid());
            List<String> runs = pm.subList(1, pm.size()).stream().map(e -> e.as(PagemapEntry.class))
                    .map(e -> e.getVaddr() / 4096 + "+" + e.getNrPages()).toList();
            assertEquals(List.of("0+4", "8+2"), runs);

            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            assertTrue(Crit.decode(dir.resolve("pagemap-shmem-" + big.getShmid() + ".img")).contains("\"nr_pages\": 2"));

            restoreAndPass(p, dir, "PASS shmem", () -> {
                // both processes map one new object, of the kind the dump saw (a re-dump sees shared anonymous memory)
                String parentLine = mapsLine(p.pid(), big.getStart());
                String childLine = mapsLine(child, big.getStart());
                assertTrue(parentLine.endsWith("/dev/zero (deleted)") && parentLine.contains(" rw-s "), parentLine);
                assertEquals(parentLine.split("\\s+")[4], childLine.split("\\s+")[4], "same inode: " + parentLine
                        + " / " + childLine);
                // and the restored tree dumps again (left running) with the same pages in the object
                Path again = tmp.resolve("again");
                new DumpEngine().dump((int) p.pid(), new DumpOptions(again, false, false), DumpListener.NONE);
                long shmid = Long.parseLong(parentLine.split("\\s+")[4]);
                List<ImageEntry> pm2 = ImageDir.open(again).read(ImageKind.PAGEMAP, "shmem-" + shmid);
                assertEquals(runs, pm2.subList(1, pm2.size()).stream().map(e -> e.as(PagemapEntry.class))
                        .map(e -> e.getVaddr() / 4096 + "+" + e.getNrPages()).toList());
            });
        }
    }

    /**
     * The dump rewinds an interrupted pause() to run again (as CRIU does); a signal that reaches the
     * restored task before it re-enters pause() would run its handler and then block in pause()
     * forever. Restore gives the kernel its "interrupted syscall" back instead, so the handler ends it.
     */
    @Test
    void aTaskDumpedInsidePauseWakesForASignalSentTheMomentItIsRestored() {
        try (LiveProcess p = Fixture.start("pauser")) {
            awaitInPause(p.pid());
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            // the signal is made pending just before the tree is resumed, so that it always wins the race
            // against the task re-entering pause() (on a loaded machine it often does anyway)
            RestoreListener sendEarly = new RestoreListener() {
                @Override
                public void phase(Phase phase, int pid) {
                    if (phase == Phase.RESUME) {
                        dev.jcr.sys.Linux.kill((int) p.pid(), 10 /* SIGUSR1 */);
                    }
                }
            };
            RestoreResult r = new RestoreEngine(sendEarly).restore(RestoreOptions.of(dir).detached());
            assertEquals((int) p.pid(), r.rootPid());
            p.awaitOutput("PASS woke", Duration.ofSeconds(30));
        }
    }

    /** READY is printed just before pause(): wait (bounded) until the task sleeps in it. */
    private static void awaitInPause(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String sc = "";
        while (System.nanoTime() < deadline) {
            try {
                sc = Files.readString(Path.of("/proc/" + pid + "/syscall"));
                if (sc.startsWith("34 ")) {
                    return;
                }
                Thread.sleep(10);
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("process " + pid + " never reached pause(): " + sc);
    }
}
