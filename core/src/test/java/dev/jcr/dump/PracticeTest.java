package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.fault.Faults;
import dev.jcr.fault.InjectedFault;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The practice dump a chain's last dump runs before its freeze: a real dump of a throwaway process,
 * which must leave nothing behind and never fire or count a fault point of the operation it serves.
 */
@Timeout(60)
class PracticeTest {

    /** Processes (pids) that say in their environment they are a practice of this JVM. */
    private static List<String> leftovers() throws IOException {
        String mark = "JCR_PRACTICE_OF=" + Linux.getpid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(d -> d.getFileName().toString().matches("\\d+")).filter(d -> {
                try {
                    return new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.ISO_8859_1).contains(mark);
                } catch (IOException | RuntimeException gone) {
                    return false;
                }
            }).map(d -> d.getFileName().toString()).toList();
        }
    }

    private static List<String> practiceDirs() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.map(d -> d.getFileName().toString()).filter(n -> n.startsWith("jcr-practice")).sorted().toList();
        }
    }

    @Test
    void aPracticeDumpsAThrowawayProcessAndLeavesNothingBehind() throws Exception {
        List<String> dirsBefore = practiceDirs();
        assertTrue(Practice.run(new DumpEngine()), "the practice dump ran to its end");
        assertEquals(List.of(), leftovers(), "the throwaway process is killed and reaped");
        assertEquals(dirsBefore, practiceDirs(), "its images are deleted");
    }

    @Test
    void aPracticeNeitherFiresNorCountsTheFaultPointsOfTheRealDump() throws Exception {
        Faults.arm(Faults.DUMP_CHECKED.name() + ":throw");
        try {
            assertTrue(Practice.run(new DumpEngine()), "the armed point did not fire in the practice");
            // the practice passed the point too: had it counted, a second hit would be needed now
            try (var p = dev.jcr.testing.Fixture.start("loop")) {
                Path dir = Files.createTempDirectory("jcr-practice-test");
                try {
                    org.junit.jupiter.api.Assertions.assertThrows(InjectedFault.class,
                            () -> new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir.resolve("img")), DumpListener.NONE));
                } finally {
                    Files.deleteIfExists(dir);
                }
            }
        } finally {
            Faults.disarm();
        }
    }

    @Test
    void aSpawnedChildWithGivenStdioHasThoseThreeDescriptorsAndNoOther() throws Exception {
        int[] pipe = Linux.pipe();
        int pid = Linux.spawn("/bin/sleep", new String[] {"sleep", "5"}, new String[0], true,
                new int[] {pipe[0], pipe[1], pipe[1]});
        try {
            List<String> fds = List.of();
            for (int i = 0; i < 200; i++) {
                if (Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("sleep")) {
                    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                        fds = s.map(f -> f.getFileName().toString()).sorted().toList();
                    }
                    break;
                }
                Thread.sleep(10);
            }
            assertEquals(List.of("0", "1", "2"), fds);
            String in = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")).toString();
            assertTrue(in.startsWith("pipe:"), in);
        } finally {
            Linux.kill(pid, 9);
            Linux.waitpid(pid, 0);
            Linux.close(pipe[0]);
            Linux.close(pipe[1]);
        }
    }
}
