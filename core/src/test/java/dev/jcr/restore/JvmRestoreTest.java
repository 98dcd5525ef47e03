package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.JavaPrograms;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM with default options (a small Java program compiled with javac at test time, started
 * detached like the C fixtures) dumped with --kill and restored: its counter goes on without gap or
 * repeat, past where the original stopped. A default JVM maps its perf-data file
 * /tmp/hsperfdata_USER/PID MAP_SHARED; any other JVM that starts while the dumped one is dead deletes
 * that file, which is why jcr's own JVMs run without perf data. Here the file is deleted while the
 * target runs, as such a cleanup does: the dump saves it as a ghost file and the restored JVM maps the
 * recreated (deleted) file again, whatever happens in /tmp meanwhile.
 */
@Timeout(240)
class JvmRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void defaultJvmWhosePerfDataFileWasDeletedCountsOnWithoutGapOrRepeat() throws Exception {
        Path classes = JavaPrograms.compile("Counter", """
                public class Counter {
                    public static void main(String[] args) throws Exception {
                        System.out.println("READY");
                        System.out.flush();
                        long n = 0;
                        while (true) {
                            n++;
                            System.out.println(n);
                            Thread.sleep(5);
                        }
                    }
                }
                """);
        List<String> cmd = JavaPrograms.command(classes, "Counter");
        try (LiveProcess p = LiveProcess.startCommand(cmd, WAIT, "READY")) {
            Path perfData = JavaPrograms.perfData(p.pid());
            assertTrue(maps(p.pid()).contains(perfData + "\n"), "a default JVM maps " + perfData);
            Files.delete(perfData);
            assertTrue(maps(p.pid()).contains(perfData + " (deleted)"), maps(p.pid()));
            CounterRestore.dumpKillRestoreAndCountOn(p, tmp.resolve("img"), WAIT);
            assertTrue(maps(p.pid()).contains(perfData + " (deleted)"), "the restored JVM maps its recreated"
                    + " perf-data file: " + maps(p.pid()));
            assertFalse(Files.exists(perfData), "nothing is left under the old name");
        }
    }

    private static String maps(long pid) throws Exception {
        return Files.readString(Path.of("/proc/" + pid + "/maps"));
    }
}
