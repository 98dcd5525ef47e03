package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CRIU's own dump of `counter` (one process appending 0, 1, 2 … to a file) restored by jcr. */
@ExtendWith(VectorLock.class)
class CounterVectorRestoreTest {

    @Test
    void counterDumpedByCriuContinuesWithoutGapOrRepeatAfterRestore() throws Exception {
        Path dir = CriuVectors.prepare("counter", "counter.out");
        CriuVectors.assumePidsFree(dir);
        Path out = CriuVectors.RUN_DIR.resolve("counter.out");
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        try {
            assertEquals(20104, r.rootPid());
            assertTrue(Files.exists(Path.of("/proc/20104")), "restored process runs");
            assertEquals("counter", Files.readString(Path.of("/proc/20104/comm")).strip());
            long deadline = System.currentTimeMillis() + 5000;
            List<String> lines = List.of();
            while (System.currentTimeMillis() < deadline && lines.size() < 10) {
                Thread.sleep(50);
                lines = Files.readAllLines(out);
            }
            assertTrue(lines.size() >= 10, "counter wrote " + lines.size() + " lines: " + lines);
            // 310 bytes were in the file at dump time: 0..104, so the next number is 105
            for (int i = 0; i < lines.size() - 1; i++) {
                assertEquals(105 + i, Long.parseLong(lines.get(i)), "line " + i + " of " + lines);
            }
            // the same images cannot be restored while the pid is taken
            JcrException e = assertThrows(JcrException.class,
                    () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
            assertEquals(JcrException.Kind.CONFLICT, e.kind());
            assertTrue(e.getMessage().contains("PID 20104"), e.getMessage());
        } finally {
            CriuVectors.kill(20104);
        }
        assertFalse(Files.exists(Path.of("/proc/20104")));
    }
}
