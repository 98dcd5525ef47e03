package dev.jcr.show.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.Vectors;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FileLockEntry;
import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.resource.FileEntries;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreException;
import dev.jcr.show.testing.DumpEdit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What restore refuses, {@code jcr-show summary} says, with the restore's own reason: files and locks
 * added to a real CRIU dump (the counter vector) are refused by the restore's plan and listed by the
 * summary, while the kinds restore now takes back (file locks) are no longer listed.
 */
class RestoreAgreementTest {

    private static final int PID = SummaryTest.PID;

    @TempDir
    Path tmp;

    private Path withFd(String name, String path) {
        Path dir = DumpEdit.copy(Vectors.root().resolve("counter"), tmp.resolve(name));
        DumpEdit.all(dir, ImageKind.FILES, null, FileEntry.class, files -> {
            List<FileEntry> out = new ArrayList<>(files);
            out.add(FileEntries.reg(100, path, 0, 0, 0100444, -1));
            return out;
        });
        int filesId = ImageDir.open(dir).readSingle(ImageKind.IDS, PID, TaskKobjIdsEntry.class).getFilesId();
        DumpEdit.all(dir, ImageKind.FDINFO, filesId, FdinfoEntry.class, fds -> {
            List<FdinfoEntry> out = new ArrayList<>(fds);
            out.add(FdinfoEntry.newBuilder().setId(100).setFlags(0).setType(FdTypes.REG).setFd(20).build());
            return out;
        });
        return dir;
    }

    private static FileLockEntry lock(int flag, int type) {
        return FileLockEntry.newBuilder().setFlag(flag).setType(type).setPid(PID).setFd(20).setStart(0).setLen(0).build();
    }

    /** The summary's one blocker and the plan's refusal give the same reason. */
    private static void agree(Path dir, String reason) {
        List<Restorability.Blocker> blockers = Summary.of(dir).blockers();
        assertEquals(1, blockers.size(), blockers.toString());
        assertTrue(blockers.get(0).why().contains(reason), blockers.toString());
        RestoreException e = assertThrows(RestoreException.class, () -> RestoreEngine.plan(dir));
        assertEquals(JcrException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aProcFileOfAProcessThatIsNotRestoredIsRefusedByBoth() {
        agree(withFd("proc", "/proc/1/stat"), "\"/proc/1/stat\" belongs to process 1, which is not restored");
    }

    @Test
    void aProcFileOfAThreadIsRefusedByBoth() {
        agree(withFd("thread", "/proc/" + PID + "/task/" + (PID + 1) + "/stat"), "belongs to thread " + (PID + 1));
    }

    @Test
    void aLeaseBeingBrokenIsRefusedByBothAndOtherLocksByNeither() {
        Path dir = withFd("lease", "/etc/hostname");
        DumpEdit.write(dir, ImageKind.FILE_LOCKS, null, List.of(lock(8, 0 | 4)));
        agree(dir, "a lease being broken cannot be restored");

        DumpEdit.write(dir, ImageKind.FILE_LOCKS, null, List.of(lock(2, 1), lock(1, 0)));
        assertEquals(List.of(), Summary.of(dir).blockers(), "flock and POSIX locks are restored");
    }
}
