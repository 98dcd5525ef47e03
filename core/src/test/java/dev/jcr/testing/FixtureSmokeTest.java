package dev.jcr.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixtureSmokeTest {

    @Test
    void fixtureRunsDetachedAndVerifiesOnRequest() throws Exception {
        try (LiveProcess p = Fixture.start("loop")) {
            assertTrue(p.isAlive());
            // reparented: not our child, so the JVM cannot reap it or steal its ptrace stops
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertFalse(Long.parseLong(f[1]) == ProcessHandle.current().pid());
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS"));
        }
    }
}
