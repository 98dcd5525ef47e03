package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.file.RegularFileDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The one registry: who may say SUPPORTED, and which driver recreates a files.img entry. */
class DriverTableTest {

    /** A driver of an fd kind that assesses and dumps but has no restore side. */
    private static ResourceDriver<OpenFd> dumpOnly(Verdict verdict) {
        return new ResourceDriver<>() {
            @Override
            public ResourceKind kind() {
                return ResourceKind.SIGNALFD;
            }

            @Override
            public Support support() {
                return new Support(verdict, "mask");
            }

            @Override
            public Assessment assess(OpenFd resource) {
                return Assessment.supported(resource.label(), kind(), "a signalfd");
            }
        };
    }

    @Test
    void aDriverThatCannotRestoreIsRefusedWhenItClaimsSupport() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DriverTable(List.of(dumpOnly(Verdict.SUPPORTED))));
        assertTrue(e.getMessage().contains("SIGNALFD") && e.getMessage().contains("restores nothing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DriverTable(List.of(dumpOnly(Verdict.NEEDS_OPTION))));
        // saying UNSUPPORTED (with a better reason than "not supported yet") is allowed
        assertEquals(Verdict.UNSUPPORTED, new DriverTable(List.of(dumpOnly(Verdict.UNSUPPORTED))).supportTable()
                .get(ResourceKind.SIGNALFD).verdict());
    }

    @Test
    void twoDriversForOneKindAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new DriverTable(List.of(new RegularFileDriver(), new RegularFileDriver())));
    }

    @Test
    void everySupportedFdKindOfTheStandardTableRestores() {
        DriverTable t = DriverTable.standard();
        for (ResourceKind k : ResourceKind.values()) {
            if (k.resourceType() == OpenFd.class && t.supportTable().get(k).verdict() != Verdict.UNSUPPORTED) {
                assertTrue(t.get(k, OpenFd.class).orElseThrow() instanceof FileDriver, k.toString());
            }
        }
    }

    @Test
    void regEntriesGoToTheMostSpecificDriver() {
        DriverTable t = DriverTable.standard();
        FileImages none = images(Map.of());
        assertEquals(ResourceKind.TERMINAL, kindOf(t, reg(1, "/dev/pts/3", 0020620), none));
        assertEquals(ResourceKind.DIRECTORY, kindOf(t, reg(2, "/tmp", 0040755), none));
        assertEquals(ResourceKind.CHAR_DEVICE, kindOf(t, reg(3, "/dev/null", 0020666), none));
        assertEquals(ResourceKind.REGULAR_FILE, kindOf(t, reg(4, "/etc/hostname", 0100644), none));
        assertEquals(ResourceKind.PIPE, kindOf(t, FileEntry.newBuilder().setType(FdTypes.PIPE).setId(5).build(), none));
        assertTrue(t.forFile(FileEntry.newBuilder().setType(FdTypes.PACKETSK).setId(6).build(), none).isEmpty(),
                "no driver restores packet sockets");
    }

    private static ResourceKind kindOf(DriverTable t, FileEntry f, FileImages images) {
        return t.forFile(f, images).orElseThrow().kind();
    }

    private static FileEntry reg(int id, String name, int mode) {
        return FileEntries.reg(id, name, 2, 0, mode, -1);
    }

    /** Images with no remap-fpath (no deleted files) and nothing else. */
    private static FileImages images(Map<Integer, FileEntry> files) {
        return new FileImages() {
            @Override
            public FileEntry file(int id) {
                return files.get(id);
            }

            @Override
            public List<ImageEntry> read(ImageKind kind, Object id) {
                return List.of();
            }

            @Override
            public Path imageFile(ImageKind kind, Object id) {
                return Path.of("img", kind.name());
            }

            @Override
            public List<FdUse> holders(int fileId) {
                return List.of();
            }

            @Override
            public Map<Integer, Integer> fdTable(int pid) {
                return Map.of();
            }

            @Override
            public <T> T derived(Object key, Supplier<T> make) {
                return make.get();
            }
        };
    }
}
