package dev.jcr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void quotedTextEscapesQuotesBackslashesAndEveryControlCharacter() {
        assertEquals("\"/tmp/a b\"", Quote.of("/tmp/a b"));
        assertEquals("\"a\\\"b\\\\c\"", Quote.of("a\"b\\c"));
        assertEquals("\"x\\ny\\r\\tz\\x00\\x1b[31m\\x7f\\u009b\"", Quote.of("x\ny\r\tz\0\u001b[31m\u007f\u009b"));
        assertEquals("\"\\u202eevil\"", Quote.of("\u202eevil"), "a bidi override would reorder what the terminal shows");
        assertEquals("\"é 名\"", Quote.of("é 名"), "printable text stays as it is");
    }

    @Test
    void controlsEscapesOnlyControlCharactersAndKeepsCleanTextAsItIs() {
        String clean = "C:\\no\\change \"here\"";
        assertSame(clean, Quote.controls(clean));
        assertEquals("line\\nnext \\x1b[0m", Quote.controls("line\nnext \u001b[0m"));
    }
}
