package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntervalTest {

    @Test
    void parsesNumbersWithUnitsAndCombinations() {
        assertEquals(Duration.ofMillis(500), Interval.parse("500ms").duration());
        assertEquals(Duration.ofSeconds(10), Interval.parse("10s").duration());
        assertEquals(Duration.ofMinutes(10), Interval.parse("10m").duration());
        assertEquals(Duration.ofHours(1), Interval.parse("1h").duration());
        assertEquals(Duration.ofMinutes(90), Interval.parse("1h30m").duration());
        assertEquals(Duration.ofDays(1), Interval.parse("1d").duration());
    }

    @Test
    void rejectsWhatIsNotAnIntervalWithAnExample() {
        for (String bad : new String[] {"10", "10x", "m", "", "1.5s", "-1s", "10s junk", "99999999999999999999h"}) {
            ReplUsageException e = assertThrows(ReplUsageException.class, () -> Interval.parse(bad), bad);
            assertTrue(e.getMessage().contains("500ms"), e.getMessage());
        }
        assertThrows(ReplUsageException.class, () -> Interval.parse("0s"));
    }
}
