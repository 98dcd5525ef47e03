package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.UnsupportedTreeException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FileLockEntry;
import dev.jcr.image.proto.GhostChunkEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.Analyzer;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.Options;
import dev.jcr.resource.Self;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * State of open files that a restore must bring back exactly, or the check and the dump must refuse
 * with a reason (issue 14): sparse deleted files and the ghost-file limit, file owners (F_SETOWN),
 * locks and leases, timestamps, /proc and /sys files, the access mode behind shared mappings. Each
 * fixture sets the state, is dumped with --kill and restored, and checks itself on SIGUSR1.
 */
@Timeout(120)
class FileStateRestoreTest {

    @TempDir
    Path tmp;

    private static TreeCheck check(long ghostLimit) {
        ProcFs fs = ProcFs.system();
        return new TreeCheck(fs, new Analyzer(fs, DriverTable.standard(ghostLimit), Self.of(fs)));
    }

    private static void dumpAndKill(DumpEngine engine, LiveProcess p, Path dir) {
        engine.dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
    }

    /** P dumped with --kill by the standard engine into tmp/img; returns the image directory. */
    private Path dumped(LiveProcess p) {
        Path dir = tmp.resolve("img");
        dumpAndKill(new DumpEngine(), p, dir);
        return dir;
    }

    /** Check says no and the dump refuses for exactly its reasons, writes nothing, and P runs on. */
    private TreeReport refusedByCheckAndDump(LiveProcess p) {
        TreeReport r = TreeCheck.system().check(p.pid(), Set.of());
        assertFalse(r.checkpointable());
        Path refused = tmp.resolve("refused");
        UnsupportedTreeException e = assertThrows(UnsupportedTreeException.class, () -> new DumpEngine()
                .dump((int) p.pid(), new DumpOptions(refused, true, false), DumpListener.NONE));
        assertEquals(r.messages(), e.blockers());
        assertFalse(Files.exists(refused), "a refused dump writes nothing");
        assertTrue(p.isAlive());
        return r;
    }

    private static void restoreAndPass(LiveProcess p, Path dir, String pass) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        p.signal("USR1");
        String out = p.awaitOutput(pass, Duration.ofSeconds(20));
        assertFalse(out.contains("FAIL"), out);
    }

    @Test
    void sparseDeletedFileIsSavedInChunksAndRecreatedSparseWithItsTimes() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("ghostholes", work.toString())) {
            Path dir = dumped(p);

            List<ImageEntry> ghost = ImageDir.open(dir).read(ImageKind.GHOST_FILE, "1");
            long saved = ghost.subList(1, ghost.size()).stream().mapToLong(e -> e.as(GhostChunkEntry.class).getLen()).sum();
            assertTrue(ghost.size() - 1 >= 3 && saved < 100_000, "only the data stretches of the 1000 KiB file are"
                    + " saved: " + (ghost.size() - 1) + " chunks, " + saved + " bytes");
            Crit.assumeAvailable();
            String decoded = Crit.decode(dir.resolve("ghost-file-1.img"));
            assertTrue(decoded.contains("\"atim\"") && decoded.contains("\"tv_sec\": 1000000500"), decoded);

            restoreAndPass(p, dir, "PASS ghostholes");
        }
    }

    @Test
    void ghostLimitGivenToCheckAndDumpLetsALargerDeletedFileThrough() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("ghostholes", work.toString(), "3000")) {
            TreeReport.Blocker b = refusedByCheckAndDump(p).blockers().get(0);
            assertEquals(Verdict.NEEDS_OPTION, b.assessment().verdict());
            assertEquals(Options.GHOST_LIMIT, b.assessment().option());
            assertTrue(b.assessment().reason().contains("larger than the ghost-file limit of 1 MiB: dump with --ghost-limit 3M"),
                    b.assessment().reason());
            long limit = 4L << 20;
            assertTrue(check(limit).check(p.pid(), Set.of()).checkpointable(), "checkpointable with --ghost-limit 4M");
            Path dir = tmp.resolve("img");
            dumpAndKill(new DumpEngine(ProcFs.system(), DriverTable.standard(limit)), p, dir);
            assertTrue(Files.size(dir.resolve("ghost-file-1.img")) < 100_000, "3000 KiB of mostly holes, saved small");
            restoreAndPass(p, dir, "PASS ghostholes");
        }
    }

    @Test
    void sharedMappingOfAReadOnlyFileStillRefusesWriteAndOfAReadWriteOneStillAllowsIt() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("mapaccess", work.toString())) {
            Path dir = dumped(p);
            List<VmaEntry> vmas = ImageDir.open(dir).readSingle(ImageKind.MM, (int) p.pid(), MmEntry.class).getVmasList();
            List<FileEntry> files = ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class);
            for (String name : List.of("ro", "rw", "priv")) {
                String path = work.resolve(name).toString();
                int id = files.stream().filter(f -> f.hasReg() && f.getReg().getName().equals(path)).findFirst()
                        .orElseThrow(() -> new AssertionError("no file entry for " + path)).getId();
                VmaEntry v = vmas.stream().filter(e -> e.getShmid() == id).findFirst().orElseThrow();
                assertEquals(1, v.getProt(), name + " is mapped PROT_READ");
                assertEquals(name.equals("rw") ? 2 : 0, v.getFdflags() & 3, name + ": the access mode of the mapped file");
            }
            restoreAndPass(p, dir, "PASS mapaccess");
        }
    }

    @Test
    void reopenedMappedFileAndRefilledFifoKeepTheirTimes() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("ftimes", work.toString())) {
            Path dir = dumped(p);
            restoreAndPass(p, dir, "PASS ftimes");
        }
    }

    @Test
    void ownerSignalAndAsyncModeOfFilesComeBackAndSignalsReachTheirTargets() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.startWithFlags("fown", List.of("-pthread"), work.toString())) {
            Path dir = dumped(p);
            List<FileEntry> pipes = ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class).stream()
                    .filter(FileEntry::hasPipe).filter(f -> f.getPipe().getFown().getPid() != 0).toList();
            assertEquals(3, pipes.size(), "three owned pipe ends: " + pipes);
            assertTrue(pipes.stream().anyMatch(f -> f.getPipe().getFown().getSignum() == 36
                    && f.getPipe().getFown().getPidType() == 1 && f.getPipe().getFown().getPid() == p.pid()), pipes.toString());
            assertTrue(pipes.stream().anyMatch(f -> f.getPipe().getFown().getPidType() == 2), "a process-group owner");
            assertTrue(pipes.stream().anyMatch(f -> f.getPipe().getFown().getPidType() == 0
                    && f.getPipe().getFown().getSignum() == 12), "a thread owner with SIGUSR2");
            Crit.assumeAvailable();
            assertTrue(Crit.decode(dir.resolve("files.img")).contains("\"signum\": 36"));
            restoreAndPass(p, dir, "PASS fown");
        }
    }

    @Test
    void anOwnerSetByOneUserOnAnotherUsersProcessStillCannotSignalItAfterTheRestore() throws Exception {
        try (LiveProcess p = Fixture.start("fown_cross")) {
            // on the original first: the kernel refuses the signal to Q, lets P's own through
            p.signal("USR1");
            String before = p.awaitOutput("PASS fown_cross", Duration.ofSeconds(20));
            assertFalse(before.contains("FAIL"), before);
            Path dir = dumped(p);
            List<FileEntry> owned = ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class).stream()
                    .filter(FileEntry::hasPipe).filter(f -> f.getPipe().getFown().getPid() != 0).toList();
            assertEquals(2, owned.size(), owned.toString());
            assertTrue(owned.stream().allMatch(f -> f.getPipe().getFown().getUid() == 65534
                    && f.getPipe().getFown().getEuid() == 65534), "the owners' credentials are P's: " + owned);
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            assertEquals((int) p.pid(), r.rootPid());
            p.signal("USR1");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (p.stdout().split("PASS fown_cross", -1).length - 1 < 2 && !p.stdout().contains("FAIL")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(p.stdout().contains("FAIL"), p.stdout());
            assertEquals(2, p.stdout().split("PASS fown_cross", -1).length - 1, p.stdout());
        }
    }

    @Test
    void flockPosixAndOfdLocksAndLeasesAreTakenAgainByTheirHolders() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("locks", work.toString())) {
            long child = child(p);
            try {
                Path dir = dumped(p);
                LiveProcess.awaitGone(child, Duration.ofSeconds(20));
                List<FileLockEntry> locks = ImageDir.open(dir).readAll(ImageKind.FILE_LOCKS, null, FileLockEntry.class);
                // parent: 2 POSIX, 2 OFD, 2 flock, 2 leases; child: its POSIX lock. The flock, OFD locks and
                // leases the child shares with its parent are its description's: recorded once
                assertEquals(9, locks.size(), locks.toString());
                assertEquals(1, locks.stream().filter(l -> l.getPid() == child).count(), "the child's own POSIX lock");
                assertTrue(locks.stream().anyMatch(l -> l.getFlag() == 4 && l.getType() == 1 && l.getStart() == 20
                        && l.getLen() == 10), "OFD write lock on 20-29: " + locks);
                Crit.assumeAvailable();
                assertTrue(Crit.decode(dir.resolve("filelocks.img")).contains("\"flag\": 8"), "a lease, CRIU's FL_LEASE");
                restoreAndPass(p, dir, "PASS locks");
            } finally {
                kill(child);
            }
        }
    }

    @Test
    void leaseBeingBrokenIsRefusedByCheckAndDump() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        try (LiveProcess p = Fixture.start("locks", work.toString())) {
            long child = child(p);
            try {
                // a writer knocks: the read lease starts breaking (the open fails, non-blocking)
                assertThrows(SyscallException.class, () -> Linux.open(work.resolve("rlease").toString(),
                        Linux.O_WRONLY | Linux.O_NONBLOCK, 0));
                TreeReport r = refusedByCheckAndDump(p);
                assertTrue(r.messages().stream().anyMatch(m -> m.contains("lease") && m.contains("being broken")),
                        r.messages().toString());
            } finally {
                kill(child);
            }
        }
    }

    @Test
    void procAndSysFilesAreReopenedInTheRestoredProcessesOwnProc() throws Exception {
        try (LiveProcess p = Fixture.start("procfiles", tmp.toString())) {
            long child = child(p);
            try {
                Path dir = dumped(p);
                LiveProcess.awaitGone(child, Duration.ofSeconds(20));
                restoreAndPass(p, dir, "PASS procfiles");
            } finally {
                kill(child);
            }
        }
    }

    @Test
    void procFileOfAProcessOutsideTheTreeIsRefusedByCheckAndDump() throws Exception {
        try (LiveProcess p = Fixture.start("procfiles", tmp.toString(), "outside")) {
            long child = child(p);
            try {
                TreeReport r = refusedByCheckAndDump(p);
                List<String> blockers = r.blockers().stream().map(b -> b.assessment().message()).toList();
                assertEquals(1, blockers.size(), blockers.toString());
                assertTrue(blockers.get(0).startsWith("fd 11: /proc/1/stat (r), a file of process 1: pid 1 (")
                        && blockers.get(0).endsWith(") is not part of the dumped tree: not supported"), blockers.get(0));
            } finally {
                kill(child);
            }
        }
    }

    private static long child(LiveProcess p) {
        for (String line : p.stdout().split("\n")) {
            if (line.startsWith("CHILD ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new AssertionError("fixture printed no CHILD line: " + p.stdout());
    }

    private static void kill(long pid) {
        try {
            Linux.kill((int) pid, 9);
        } catch (RuntimeException ignored) {
            // already gone
        }
        LiveProcess.awaitGone(pid, Duration.ofSeconds(20));
    }
}
