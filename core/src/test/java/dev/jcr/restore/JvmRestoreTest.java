package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM (a small Java program compiled with javac at test time, started detached like the C
 * fixtures) dumped with --kill and restored: its counter goes on without gap or repeat, past
 * where the original stopped.
 */
@Timeout(240)
class JvmRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void javaCounterContinuesWithoutGapOrRepeat() throws Exception {
        Path src = tmp.resolve("Count.java");
        Files.writeString(src, """
                public class Count {
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
        Path home = Path.of(System.getProperty("java.home"));
        Process javac = new ProcessBuilder(home.resolve("bin/javac").toString(), "-d", tmp.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(javac.getInputStream().readAllBytes());
        javac.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, javac.exitValue(), "javac: " + log);
        List<String> cmd = List.of(home.resolve("bin/java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-cp", tmp.toString(), "Count");
        try (LiveProcess p = LiveProcess.startCommand(cmd, WAIT, "READY")) {
            CounterRestore.dumpKillRestoreAndCountOn(p, tmp.resolve("img"), WAIT);
        }
    }
}
