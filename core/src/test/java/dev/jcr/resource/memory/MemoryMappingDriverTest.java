package dev.jcr.resource.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.Vma;
import dev.jcr.proc.VmaKind;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.Verdict;
import org.junit.jupiter.api.Test;

/** What the memory driver promises for mappings of deleted files: their content fits the ghost-file limit. */
class MemoryMappingDriverTest {

    private static Vma deleted(long size) {
        return new Vma(0x7f0000000000L, 0x7f0000002000L, "rw-s", 0, 254, 0, 4242, "/tmp/hsperfdata_root/99",
                true, VmaKind.DELETED_FILE, size);
    }

    @Test
    void aDeletedFileUpToTheLimitIsSupportedAndSaysItsContentIsSaved() {
        Assessment a = new MemoryMappingDriver(1 << 20).assess(deleted(32768));
        assertEquals(Verdict.SUPPORTED, a.verdict(), a.reason());
        assertTrue(a.reason().endsWith("content saved (32 KiB)"), a.reason());
    }

    @Test
    void aBiggerOneIsRefusedWithItsSizeAndTheLimit() {
        Assessment a = new MemoryMappingDriver(1 << 20).assess(deleted(3 << 20));
        assertEquals(Verdict.UNSUPPORTED, a.verdict());
        assertTrue(a.reason().contains("holds 3 MiB, more than the ghost-file limit of 1 MiB"), a.reason());
    }

    @Test
    void oneWhoseSizeCannotBeReadIsRefused() {
        assertEquals(Verdict.UNSUPPORTED, new MemoryMappingDriver(1 << 20).assess(deleted(-1)).verdict());
    }
}
