package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.jcr.app.Main;
import dev.jcr.image.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code jcr show ...} reaches jcr-show's commands with jcr's exit codes. */
class ShowCommandTest {

    @Test
    void jcrShowRunsJcrShowsSubcommands() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"show", "--help"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        for (String sub : new String[] {"decode", "encode", "show", "info"}) {
            assertTrue(out.toString().contains(sub), out.toString());
        }
    }

    @Test
    void jcrShowInfoWorksAndMissingFilesExitEight() {
        String f = Vectors.root().resolve("counter/fs-20104.img").toString();
        StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"show", "info", f}, new PrintWriter(out), new PrintWriter(new StringWriter())));
        assertTrue(out.toString().contains("single entry of fs_entry"), out.toString());
        StringWriter err = new StringWriter();
        assertEquals(8, Main.execute(new String[] {"show", "decode", "/nonexistent/x.img"}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains("no such file"), err.toString());
    }
}
