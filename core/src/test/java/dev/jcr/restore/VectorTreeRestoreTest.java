package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CRIU's dumps of a multithreaded process, 16 MiB of patterned memory, and a parent/child pipe. */
@ExtendWith(VectorLock.class)
class VectorTreeRestoreTest {

    private static List<String> await(Path out, Predicate<List<String>> done) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        List<String> lines = Files.readAllLines(out);
        while (!done.test(lines) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            lines = Files.readAllLines(out);
        }
        return lines;
    }

    @Test
    void allFiveThreadsRunAgainAndEveryCounterMovesOn() throws Exception {
        Path dir = CriuVectors.prepare("threads", "threads.out");
        CriuVectors.assumePidsFree(dir);
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        try {
            try (var s = Files.list(Path.of("/proc/20143/task"))) {
                assertEquals(List.of("20143", "20145", "20146", "20147", "20148"),
                        s.map(p -> p.getFileName().toString()).sorted().toList());
            }
            List<String> lines = await(CriuVectors.RUN_DIR.resolve("threads.out"), l -> l.size() >= 4);
            assertTrue(lines.size() >= 4, "lines: " + lines);
            long[] first = parse(lines.get(0));
            long[] last = parse(lines.get(lines.size() - 1));
            for (int i = 0; i < 4; i++) {
                assertTrue(first[i] > 0, "counter " + i + " kept its dumped value: " + lines.get(0));
                assertTrue(last[i] > first[i], "counter " + i + " moves on: " + lines);
            }
        } finally {
            CriuVectors.kill(r.rootPid());
        }
    }

    private static long[] parse(String line) {
        String[] f = line.trim().split(" ");
        long[] v = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Long.parseLong(f[i]);
        }
        return v;
    }

    @Test
    void sixteenMebibytesOfPatternedMemoryComeBackByteForByte() throws Exception {
        Path dir = CriuVectors.prepare("memhog16", "memhog.out");
        CriuVectors.assumePidsFree(dir);
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        try {
            Path out = CriuVectors.RUN_DIR.resolve("memhog.out");
            // the fixture checks its flag only after pause() returns: signal it once it sleeps there
            Path wchan = Path.of("/proc/" + r.rootPid() + "/wchan");
            for (int i = 0; i < 500 && !Files.readString(wchan).contains("pause"); i++) {
                Thread.sleep(10);
            }
            new ProcessBuilder("kill", "-USR1", Integer.toString(r.rootPid())).start().waitFor();
            List<String> lines = await(out, l -> !l.isEmpty());
            assertEquals(List.of("OK 16"), lines);
        } finally {
            CriuVectors.kill(r.rootPid());
        }
    }

    @Test
    void parentAndChildPipeKeepsItsSequenceAcrossTheRestore() throws Exception {
        Path dir = CriuVectors.prepare("pipetree", "pipetree.out");
        CriuVectors.assumePidsFree(dir);
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        try {
            assertEquals(List.of(20123, 20125), r.pids());
            assertEquals("20123", ppidOf(20125));
            // the child checks every number it reads: an "OK n" line needs 100 in order, BAD means a gap
            List<String> lines = await(CriuVectors.RUN_DIR.resolve("pipetree.out"), l -> l.size() >= 2);
            assertFalse(lines.isEmpty(), "the child reported nothing");
            assertTrue(lines.stream().allMatch(l -> l.startsWith("OK ")), "lines: " + lines);
        } finally {
            CriuVectors.kill(20125);
            CriuVectors.kill(20123);
        }
    }

    private static String ppidOf(int pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("PPid:")) {
                return l.substring(5).trim();
            }
        }
        return "";
    }
}
