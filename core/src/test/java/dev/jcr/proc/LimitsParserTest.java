package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LimitsParserTest {

    @Test
    void unlimitedIsInfinityAndUnitsAreOptional() {
        List<Rlimit> l = LimitsParser.parse("/proc/1/limits", String.join("\n",
                "Limit                     Soft Limit           Hard Limit           Units     ",
                "Max cpu time              unlimited            unlimited            seconds   ",
                "Max stack size            8388608              unlimited            bytes     ",
                "Max nice priority         0                    0                    ",
                ""));
        assertEquals(List.of(new Rlimit("Max cpu time", Rlimit.INFINITY, Rlimit.INFINITY, "seconds"),
                new Rlimit("Max stack size", 8388608, Rlimit.INFINITY, "bytes"),
                new Rlimit("Max nice priority", 0, 0, "")), l);
    }
}
