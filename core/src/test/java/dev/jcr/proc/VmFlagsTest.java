package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** smaps VmFlags → CRIU's vma madv mask (1 << MADV_*), from fixture text. */
class VmFlagsTest {

    private static final String SMAPS = """
            55bc1de4f000-55bc1de51000 r--p 00000000 fe:00 260386                     /usr/bin/head
            Size:                  8 kB
            VmFlags: rd mr mw me dc dd\s
            7f0000000000-7f0000004000 rw-p 00000000 00:00 0
            Rss:                  16 kB
            VmFlags: rd wr mr mw me ac hg rr wf\s
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
            VmFlags: ex\s
            """;

    @Test
    void adviceMnemonicsBecomeMadvBitsAndOtherFlagsAreIgnored() {
        Map<Long, Long> m = VmFlags.parseSmaps("smaps", SMAPS);
        assertEquals((1L << 10) | (1L << 16), m.get(0x55bc1de4f000L), "dc = DONTFORK, dd = DONTDUMP");
        assertEquals((1L << 14) | (1L << 1) | (1L << 18), m.get(0x7f0000000000L), "hg, rr, wf");
        assertEquals(0L, m.get(0xffffffffff600000L), "[vsyscall] lies above 2^63: no advice, and no parse error");
    }

    @Test
    void vmFlagsBeforeAnyMappingIsAParseErrorNamingTheLine() {
        ProcParseException e = assertThrows(ProcParseException.class, () -> VmFlags.parseSmaps("/proc/1/smaps",
                "VmFlags: rd\n"));
        assertEquals(true, e.getMessage().contains("/proc/1/smaps"), e.getMessage());
    }
}
