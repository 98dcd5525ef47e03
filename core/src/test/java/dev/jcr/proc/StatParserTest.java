package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.StatParser.Stat;
import org.junit.jupiter.api.Test;

class StatParserTest {

    private static final String TAIL = " 1 1234 1234 0 -1 4194560 97 0 0 0 3 4 0 0 20 0 3 0 45592 3133440 414"
            + " 18446744073709551615 94861472210944 94861472230825 140735039162112 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";

    @Test
    void commWithClosingParenthesisAndSpacesIsCutAtTheLastParenthesis() {
        Stat s = parse("4321 (a) b (c)) S" + TAIL);
        assertEquals("a) b (c)", s.comm());
        assertEquals('S', s.state());
        assertEquals(1, s.ppid());
        assertEquals(1234, s.pgid());
        assertEquals(1234, s.sid());
        assertEquals(3, s.threads());
        assertEquals(45592, s.startTimeTicks());
        assertEquals(3133440, s.vszBytes());
        assertEquals(414, s.rssPages());
    }

    @Test
    void emptyCommAndKernelThreadFlag() {
        Stat s = StatParser.parse("/proc/2/stat", "2 () S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 3 0 0"
                + " 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0");
        assertEquals("", s.comm());
        assertTrue(s.kernelThreadFlag());
    }

    @Test
    void truncatedLineNamesPathAndFieldCount() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> StatParser.parse("/proc/9/stat", "9 (x) S 1 2 3"));
        assertTrue(e.getMessage().contains("/proc/9/stat line 1"), e.getMessage());
        assertTrue(e.getMessage().contains("expected at least 24 fields"), e.getMessage());
    }

    @Test
    void nonNumericFieldIsNamed() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> StatParser.parse("/proc/9/stat", "9 (x) S one" + TAIL.substring(2)));
        assertTrue(e.getMessage().contains("ppid is 'one'"), e.getMessage());
    }

    @Test
    void missingParenthesesAreReported() {
        ProcParseException e = assertThrows(ProcParseException.class, () -> StatParser.parse("/p", "garbage"));
        assertTrue(e.getMessage().contains("no '(comm)'"), e.getMessage());
    }

    private static Stat parse(String text) {
        return StatParser.parse("/proc/4321/stat", text);
    }
}
