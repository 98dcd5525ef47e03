package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Sizes as --ghost-limit takes them (CRIU's forms). */
class ByteSizeTest {

    private final ByteSize size = new ByteSize();

    @Test
    void bytesAndBinarySuffixes() {
        assertEquals(4096L, size.convert("4096"));
        assertEquals(512L << 10, size.convert("512K"));
        assertEquals(1L << 20, size.convert("1M"));
        assertEquals(16L << 20, size.convert("16MiB"));
        assertEquals(2L << 30, size.convert("2g"));
        assertEquals(0L, size.convert("0"));
    }

    @Test
    void anythingElseIsAUsageError() {
        for (String bad : new String[] {"", "M", "-1", "1.5M", "12X", "99999999999G"}) {
            assertThrows(TypeConversionException.class, () -> size.convert(bad), bad);
        }
    }
}
