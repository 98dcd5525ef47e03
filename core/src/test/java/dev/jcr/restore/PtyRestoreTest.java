package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ptys beyond the sweep (where the pty fixture is dumped with --kill and restored): CRIU's crit decodes
 * tty-info.img and tty-data.img, and a pty dumped and left running has its unread data back, byte for
 * byte (it can only be read, not peeked: the dump takes it and puts it back).
 */
@Timeout(120)
class PtyRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void critDecodesTheTerminalImagesAndADumpLeftRunningPutsTheUnreadDataBack() throws IOException {
        Crit.assumeAvailable();
        try (LiveProcess p = Fixture.start("pty")) {
            String child = p.stdout().lines().filter(l -> l.startsWith("CHILD ")).findFirst().orElseThrow().substring(6);
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
            String info = Crit.decode(dir.resolve("tty-info.img"));
            assertTrue(info.contains("\"type\": \"PTY\""), info);
            assertTrue(info.contains("\"packet_mode\": true"), "the master's packet mode: " + info);
            assertTrue(info.contains("\"ws_row\": 33") && info.contains("\"ws_col\": 101"), info);
            assertTrue(info.contains("\"sid\": " + child), "the session of the child: " + info);
            String data = Crit.decode(dir.resolve("tty-data.img"));
            assertTrue(data.contains(Base64.getEncoder().encodeToString("out1\r\n".getBytes())), "the output: " + data);
            assertTrue(data.contains(Base64.getEncoder().encodeToString("typed in\n".getBytes())), "the input: " + data);
            assertTrue(Crit.decode(dir.resolve("files.img")).contains("\"tty_info_id\""));

            p.signalUntil("USR1", "PASS pty"); // left running: the unread data is back
        }
    }
}
