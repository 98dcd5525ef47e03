package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapsParserTest {

    static final String MAPS = String.join("\n",
            "5566a0000000-5566a0002000 r--p 00000000 fe:00 260100                     /usr/bin/my prog",
            "5566a0002000-5566a0003000 r-xp 00002000 fe:00 260100                     /usr/bin/my prog",
            "5566a1000000-5566a1021000 rw-p 00000000 00:00 0                          [heap]",
            "7f0000000000-7f0000001000 rw-s 00000000 00:01 1042                       /dev/zero (deleted)",
            "7f0000001000-7f0000002000 rw-p 00000000 fe:00 123                        /tmp/gone file (deleted)",
            "7f0000002000-7f0000003000 rw-s 00000000 00:01 24                         /memfd:buf (deleted)",
            "7f0000003000-7f0000004000 rw-s 00000000 00:01 32769                      /SYSV0000abcd (deleted)",
            "7f0000004000-7f0000005000 rw-p 00000000 00:00 0                          [anon:jit code]",
            "7f0000005000-7f0000006000 rw-p 00000000 00:00 0 ",
            "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
            "7ffd00100000-7ffd00104000 r--p 00000000 00:00 0                          [vvar]",
            "7ffd00104000-7ffd00106000 r-xp 00000000 00:00 0                          [vdso]",
            "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
            "");

    @Test
    void everyLineKeepsRangePermsDeviceInodeAndPathWithSpaces() {
        List<Vma> v = MapsParser.parse("/proc/1/maps", MAPS);
        assertEquals(13, v.size());
        Vma text = v.get(1);
        assertEquals(0x5566a0002000L, text.start());
        assertEquals(0x1000, text.size());
        assertTrue(text.executable());
        assertFalse(text.writable());
        assertEquals(0x2000, text.offset());
        assertEquals(0xfe, text.devMajor());
        assertEquals(0, text.devMinor());
        assertEquals(260100, text.inode());
        assertEquals("/usr/bin/my prog", text.path());
        assertEquals(VmaKind.FILE, text.kind());
        assertEquals(0xffffffffff600000L, v.get(12).start());
    }

    @Test
    void kindsAreDecidedFromThePathColumn() {
        List<VmaKind> kinds = MapsParser.parse("/proc/1/maps", MAPS).stream().map(Vma::kind).toList();
        assertEquals(List.of(VmaKind.FILE, VmaKind.FILE, VmaKind.HEAP, VmaKind.ANONYMOUS_SHARED,
                VmaKind.DELETED_FILE, VmaKind.MEMFD, VmaKind.SYSV_SHM, VmaKind.ANONYMOUS, VmaKind.ANONYMOUS,
                VmaKind.STACK, VmaKind.VVAR, VmaKind.VDSO, VmaKind.VSYSCALL), kinds);
    }

    @Test
    void deletedMappingLosesItsSuffixButRemembersIt() {
        Vma gone = MapsParser.parse("/proc/1/maps", MAPS).get(4);
        assertEquals("/tmp/gone file", gone.path());
        assertTrue(gone.deleted());
        assertEquals(123, gone.inode());
    }

    @Test
    void badLineNamesPathAndLineNumber() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> MapsParser.parse("/proc/7/maps", MAPS + "zzzz-1 rw-p 0 00:00 0\n"));
        assertTrue(e.getMessage().startsWith("cannot parse /proc/7/maps line 14:"), e.getMessage());
    }
}
