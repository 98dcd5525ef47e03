package dev.jcr.restore;

import static dev.jcr.restore.KindImages.dumpAndKill;
import static dev.jcr.restore.KindImages.files;
import static dev.jcr.restore.KindImages.refusedNaming;
import static dev.jcr.restore.KindImages.restoreAndPass;
import static dev.jcr.restore.KindImages.withEntries;
import static dev.jcr.restore.KindImages.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MemfdInodeEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * memfds through a real dump (--kill) of a parent and child: each object saved once (memfd.img and
 * its content as shared memory, holes left out) whatever fds and mappings hold it, in CRIU's format
 * (crit decodes it), corrupt entries refused before anything exists, and a restore after which both
 * processes share the one object again, with its name, content, holes, size and seals.
 */
@Timeout(120)
class MemfdRestoreTest {

    private static final int MIB = 1 << 20;
    private static final int F_SEAL_SEAL = 1;
    private static final int F_SEAL_SHRINK = 2;
    private static final int F_SEAL_GROW = 4;
    private static final int F_SEAL_WRITE = 8;
    private static final int VMA_AREA_MEMFD = 1 << 14;
    private static final int VMA_FILE_SHARED = 1 << 7;

    @TempDir
    Path tmp;

    @Test
    void aMemfdSharedByParentAndChildKeepsContentHolesSizeAndSealsAndIsSharedAgainAfterRestore() throws IOException {
        try (LiveProcess p = Fixture.start("memfd_shared")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            ImageDir images = ImageDir.open(dir);

            Map<String, MemfdInodeEntry> inodes = images.readAll(ImageKind.MEMFD_INODE, null, MemfdInodeEntry.class).stream()
                    .collect(Collectors.toMap(MemfdInodeEntry::getName, e -> e));
            assertEquals(java.util.Set.of("jcr shared", "sealed"), inodes.keySet(), "each object once, whatever holds it");
            MemfdInodeEntry shared = inodes.get("jcr shared");
            assertEquals(3L * MIB + 100, shared.getSize());
            assertEquals(F_SEAL_SHRINK | F_SEAL_GROW, shared.getSeals());
            assertEquals(F_SEAL_WRITE | F_SEAL_SEAL, inodes.get("sealed").getSeals() & (F_SEAL_WRITE | F_SEAL_SEAL));
            // sparse: the pages with data (head, middle, the child's ping page, tail), not 769 pages
            long pages = images.read(ImageKind.PAGEMAP, "shmem-" + shared.getShmid()).stream().skip(1)
                    .mapToLong(e -> dev.jcr.image.ProcessMemory.pageCount(e.as(dev.jcr.image.proto.PagemapEntry.class))).sum();
            assertEquals(4, pages, "only the pages that hold data are saved");

            List<FileEntry> memfds = files(dir, FdTypes.MEMFD);
            assertTrue(memfds.stream().allMatch(f -> inodes.values().stream()
                    .anyMatch(i -> i.getInodeId() == Integer.toUnsignedLong(f.getMemfd().getInodeId()))), memfds.toString());
            assertTrue(memfds.stream().anyMatch(f -> f.getMemfd().getPos() == 7 && (f.getMemfd().getFlags() & 3) == 0),
                    "the read-only description at offset 7");
            int parent = (int) p.pid();
            int child = images.readAll(ImageKind.PSTREE, null, PstreeEntry.class).stream().filter(e -> e.getPid() != parent)
                    .findFirst().orElseThrow().getPid();
            for (int pid : List.of(parent, child)) {
                MmEntry mm = images.readSingle(ImageKind.MM, pid, MmEntry.class);
                VmaEntry v = mm.getVmasList().stream().filter(x -> (x.getStatus() & VMA_AREA_MEMFD) != 0
                        && (x.getStatus() & VMA_FILE_SHARED) != 0).findFirst().orElseThrow(() -> new AssertionError(
                        "process " + pid + " maps the shared memfd"));
                FileEntry f = memfds.stream().filter(x -> x.getId() == v.getShmid()).findFirst().orElseThrow();
                assertEquals(shared.getInodeId(), Integer.toUnsignedLong(f.getMemfd().getInodeId()), "the mapping names the object");
            }

            Crit.assumeAvailable();
            String json = Crit.decode(dir.resolve("memfd.img"));
            assertTrue(json.contains("\"name\": \"jcr shared\"") && json.contains("\"seals\": 6"), json);
            assertTrue(Crit.decode(dir.resolve("files.img")).contains("\"MEMFD\""));
            assertTrue(Crit.decode(dir.resolve("mm-" + child + ".img")).contains("\"status\": 16513"), "REGULAR|FILE_SHARED|MEMFD");
            Crit.decodeAll(dir);

            // corrupt copies are refused before anything is created, naming image and field
            int someId = memfds.get(0).getId();
            refusedNaming(withFiles(tmp, dir, "inode", f -> f.getId() != someId ? f : f.toBuilder()
                    .setMemfd(f.getMemfd().toBuilder().setInodeId(123456789)).build()), p.pid(), "memfd.inode_id 123456789");
            Path badSeals = withEntries(tmp, dir, "seals", ImageKind.MEMFD_INODE, MemfdInodeEntry.class,
                    e -> e.toBuilder().setSeals(e.getSeals() | 0x400).build());
            JcrException e = KindImages.refused(badSeals, p.pid(), JcrException.Kind.BAD_IMAGE,
                    badSeals.resolve("memfd.img").toString(), "hold unknown bits 0x400");
            assertTrue(e.getMessage().contains("seals"), e.getMessage());
            Path badSize = withEntries(tmp, dir, "size", ImageKind.MEMFD_INODE, MemfdInodeEntry.class,
                    x -> x.getName().equals("jcr shared") ? x.toBuilder().setSize(MIB).build() : x);
            KindImages.refused(badSize, p.pid(), JcrException.Kind.BAD_IMAGE, "pagemap-shmem-" + shared.getShmid(),
                    "lie outside the " + MIB + "-byte object");

            restoreAndPass(p, dir, "PASS memfd_shared");
        }
    }
}
