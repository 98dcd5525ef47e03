package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nothing is lost when jcr itself is SIGKILLed while it holds a tree frozen. */
class TracerDeathTest {

    private static Process startSeizer(long pid) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                SeizeAndWait.class.getName(), Long.toString(pid)).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.startsWith("FROZEN"), "seizer said: " + line);
        return p;
    }

    @Test
    void killingTheTracerMidFreezeLetsTheTargetRunOn() throws Exception {
        try (LiveProcess p = Fixture.start("ticker")) {
            p.awaitOutput("TICK 3", Duration.ofSeconds(10));
            Process seizer = startSeizer(p.pid());
            try {
                assertEquals('t', ProcView.state(p.pid(), p.pid()), "frozen by the other JVM");
                int frozenAt = ProcView.ticks(p.stdout());
                ProcView.sleep(100);
                assertEquals(frozenAt, ProcView.ticks(p.stdout()));
                seizer.destroyForcibly(); // SIGKILL
                assertTrue(seizer.waitFor(10, TimeUnit.SECONDS));
                p.awaitOutput("TICK " + (frozenAt + 10), Duration.ofSeconds(10));
                assertEquals(0, ProcView.tracerPid(p.pid()), "the kernel detached it");
                assertTrue(p.isAlive());
            } finally {
                seizer.destroyForcibly();
            }
        }
    }

    @Test
    void killingTheTracerOfAMultithreadedTreeLeavesItCorrect() throws Exception {
        try (LiveProcess p = Fixture.startWithFlags("threads", List.of("-pthread"))) {
            Process seizer = startSeizer(p.pid());
            seizer.destroyForcibly();
            assertTrue(seizer.waitFor(10, TimeUnit.SECONDS));
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS"));
        }
    }
}
