package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM (a small Java program compiled with javac at test time, started detached like the C
 * fixtures) dumped, killed and restored: its counter goes on without gap or repeat.
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
            p.awaitOutput("\n50\n", WAIT);
            Path dir = tmp.resolve("img");
            // left running, then killed: (dump --kill of a many-threaded process can hang in the
            // tracer's release of killed threads; that is the dump side's to fix)
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
            p.signal("KILL");
            LiveProcess.awaitGone(p.pid(), WAIT);
            // the original went on after the dump; the restored JVM prints the same numbers over
            // them from the dumped file offset, and must get past where the original stopped
            int before = last(numbers(p.stdout()));
            new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            p.awaitOutput("\n" + (before + 100) + "\n", WAIT);
            List<Long> seen = numbers(p.stdout());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i + 1L, seen.get(i), "line " + (i + 2) + " after a dump at " + before);
            }
        }
    }

    private static List<Long> numbers(String out) {
        List<Long> n = new ArrayList<>();
        for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
            if (line.matches("\\d+")) {
                n.add(Long.parseLong(line));
            }
        }
        return n;
    }

    private static int last(List<Long> n) {
        return n.isEmpty() ? 0 : n.get(n.size() - 1).intValue();
    }
}
