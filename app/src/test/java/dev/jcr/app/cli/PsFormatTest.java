package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PsFormatTest {

    @Test
    void humanBytesUsesPowersOf1024WithOneDecimalBelowTen() {
        assertEquals("0", PsFormat.humanBytes(0));
        assertEquals("512B", PsFormat.humanBytes(512));
        assertEquals("1.0K", PsFormat.humanBytes(1024));
        assertEquals("980K", PsFormat.humanBytes(980L * 1024));
        assertEquals("1.5M", PsFormat.humanBytes(1536L * 1024));
        assertEquals("12M", PsFormat.humanBytes(12L * 1024 * 1024 + 300 * 1024));
        assertEquals("2.1G", PsFormat.humanBytes((long) (2.1 * 1024 * 1024 * 1024)));
        assertEquals("9.9K", PsFormat.humanBytes(10137));
        assertEquals("10K", PsFormat.humanBytes(10200)); // 9.96K rounds to 10, shown whole
    }

    @Test
    void humanBytesRollsOverInsteadOfShowingFourDigitUnits() {
        assertEquals("1023K", PsFormat.humanBytes(1023L * 1024));
        assertEquals("1.0M", PsFormat.humanBytes(1024L * 1024 - 100)); // 1023.9K
        assertEquals("1.0G", PsFormat.humanBytes(1024L * 1024 * 1024 - 1));
    }

    @Test
    void humanBytesNeverExceedsFiveCharactersSoTheColumnStaysAligned() {
        for (long b = 1; b > 0 && b < Long.MAX_VALUE / 3; b = b * 3 + 7) {
            String s = PsFormat.humanBytes(b);
            assertEquals(true, s.length() <= 5, b + " -> " + s);
        }
    }

    @Test
    void negativeSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> PsFormat.humanBytes(-1));
    }

    @Test
    void cutKeepsShortLinesAndCutsLongOnesAtCodePoints() {
        assertEquals("abc", PsFormat.cut("abc", 5));
        assertEquals("abcdefgh", PsFormat.cut("abcdefgh", 0));
        assertEquals("abcde", PsFormat.cut("abcdefgh", 5));
        assertEquals("a\uD83D\uDE00b", PsFormat.cut("a\uD83D\uDE00bcd", 3)); // a surrogate pair is one character
    }

    @Test
    void widthComesFromColumnsThenTheTerminalElseNoLimit() {
        assertEquals(80, PsWidth.decide(Map.of("COLUMNS", "80"), false, () -> 120));
        assertEquals(80, PsWidth.decide(Map.of("COLUMNS", "80"), true, () -> 120));
        assertEquals(120, PsWidth.decide(Map.of(), true, () -> 120));
        assertEquals(120, PsWidth.decide(Map.of("COLUMNS", "wide"), true, () -> 120));
        assertEquals(PsWidth.UNLIMITED, PsWidth.decide(Map.of("COLUMNS", "0"), false, () -> 120));
        assertEquals(PsWidth.UNLIMITED, PsWidth.decide(Map.of(), true, () -> 0));
        assertEquals(PsWidth.UNLIMITED, PsWidth.decide(Map.of(), false, () -> {
            throw new AssertionError("the terminal is not asked when stdout is not one");
        }));
    }
}
