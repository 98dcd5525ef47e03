package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeNamespaceTest {

    private static final long S = 1_000_000_000L;

    @Test
    void autoMakesANamespaceOnlyWhenTheDumpsClockIsAhead() {
        assertTrue(TimeNamespace.decide(TimeNamespace.Mode.AUTO, 100 * S, 110 * S, 200 * S, 210 * S).isEmpty());
        assertEquals(new TimeNamespace(50 * S, 60 * S),
                TimeNamespace.decide(TimeNamespace.Mode.AUTO, 250 * S, 270 * S, 200 * S, 210 * S).orElseThrow());
    }

    @Test
    void alwaysMakesOneEvenWithANegativeOffsetAndNeverMakesNone() {
        assertEquals(new TimeNamespace(-100 * S, -100 * S),
                TimeNamespace.decide(TimeNamespace.Mode.ALWAYS, 100 * S, 110 * S, 200 * S, 210 * S).orElseThrow());
        assertTrue(TimeNamespace.decide(TimeNamespace.Mode.NEVER, 900 * S, 900 * S, 1 * S, 1 * S).isEmpty());
    }

    @Test
    void offsetsAreWrittenAsTheKernelParsesThemWithNanosecondsBelowOneSecond() {
        assertEquals("monotonic 1 500000000\nboottime -2 500000000\n",
                new TimeNamespace(S + S / 2, -S - S / 2).offsetsText());
    }
}
