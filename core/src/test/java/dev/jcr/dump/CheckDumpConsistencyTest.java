package dev.jcr.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise behind {@code jcr check}: it says checkpointable exactly when {@code jcr dump} succeeds.
 * Every fixture of the suite, checkpointable or not, is checked and dumped; a refused dump must leave
 * the process running and no directory behind.
 */
class CheckDumpConsistencyTest {

    @TempDir
    Path tmp;

    /** What the drivers say for the tree rooted at PID (no options given), the dump engine's own check. */
    static boolean checkpointable(long pid) {
        return new DumpEngine().blockers((int) pid, DumpOptions.to(Path.of("unused"))).isEmpty();
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("loop", List.of(), false),
                Arguments.of("threads", List.of("-pthread"), false),
                Arguments.of("ticker", List.of(), false),
                Arguments.of("sigstate", List.of(), false),
                Arguments.of("pattern", List.of(), false),
                Arguments.of("pipepair", List.of(), false),
                Arguments.of("mapfiles", List.of(), true),
                Arguments.of("files", List.of(), true),
                Arguments.of("thread_masks", List.of("-pthread"), false),
                Arguments.of("tcp", List.of(), false),
                Arguments.of("memfd", List.of(), true),
                Arguments.of("zoo", List.of(), false),
                Arguments.of("zombie", List.of(), false),
                Arguments.of("lateopen", List.of(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void checkSaysCheckpointableExactlyWhenDumpSucceeds(String name, List<String> flags, boolean wantsDir) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        String[] args = wantsDir ? new String[] {work.toString()} : new String[0];
        try (LiveProcess p = Fixture.startWithFlags(name, flags, args)) {
            boolean check = checkpointable(p.pid());
            Path dir = tmp.resolve("img");
            try {
                new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
                assertTrue(check, name + ": dump succeeded but check said not checkpointable");
                assertTrue(Files.exists(dir.resolve("inventory.img")));
            } catch (UnsupportedTreeException e) {
                assertFalse(check, name + ": check said checkpointable but dump refused: " + e.getMessage());
                assertFalse(Files.exists(dir), "a refused dump leaves no directory");
            } catch (dev.jcr.JcrException e) {
                fail(name + ": dump failed with " + e.kind() + " (check said " + check + "): " + e.getMessage(), e);
            }
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".")).toList(),
                        "no temporary directory left");
            }
            assertTrue(p.isAlive(), name + " keeps running");
        }
    }
}
