package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.sys.Linux;
import dev.jcr.testing.CrashTarget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, SIGINT and SIGHUP to {@code jcr dump} or {@code jcr restore} end it cleanly with exit 130:
 * the dumped tree runs on unharmed and no directory (not even a hidden temporary) remains; a restore
 * leaves no process behind, or, when it was already waiting for a restored root, leaves the whole
 * tree running. jcr is held at a known moment by {@code JCR_FAULT=<point>:pause}, so the signal never
 * races the work.
 */
class CancelSignalsTest {

    @TempDir
    Path tmp;

    /** A jcr process and a reader of its merged output. */
    private record Jcr(Process process, BufferedReader out) {
        long pid() {
            return process.pid();
        }

        int exitValue() {
            return process.exitValue();
        }
    }

    /** jcr (Main) in a JVM of its own with JCR_FAULT=FAULT (null: none); stdout and stderr merged. */
    private static Jcr jcr(String fault, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.jcr.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (fault != null) {
            pb.environment().put("JCR_FAULT", fault);
        }
        Process p = pb.start();
        return new Jcr(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }

    /** Reads P's output until a line contains TEXT (bounded by the process ending); returns all read. */
    private static String awaitLine(Jcr p, String text) throws Exception {
        BufferedReader r = p.out();
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            all.append(line).append('\n');
            if (line.contains(text)) {
                return all.toString();
            }
        }
        throw new AssertionError("jcr ended without printing '" + text + "':\n" + all);
    }

    /** The rest of P's output once it has ended (bounded). */
    private static String finish(Jcr p) throws Exception {
        assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "jcr ends");
        StringBuilder all = new StringBuilder();
        String line;
        while ((line = p.out().readLine()) != null) {
            all.append(line).append('\n');
        }
        return all.toString();
    }

    @Test
    void termIntAndHupEndADumpInTheMiddleOfItsPageCopyWith130AndNothingWritten() throws Exception {
        try (CrashTarget target = new CrashTarget(CrashTarget.Shape.THREADED)) {
            int[] signals = {15, 2, 1};
            String[] names = {"SIGTERM", "SIGINT", "SIGHUP"};
            for (int i = 0; i < signals.length; i++) {
                Path parent = Files.createDirectories(tmp.resolve("d" + i));
                target.snapshot();
                Jcr p = jcr("drain.spliced:pause", "dump", Integer.toString(target.pid()), "-D",
                        parent.resolve("img").toString());
                awaitLine(p, "fault point drain.spliced reached (pause)");
                Linux.kill((int) p.pid(), signals[i]);
                String rest = finish(p);
                assertEquals(130, p.exitValue(), names[i] + ": " + rest);
                assertTrue(rest.contains("dump: cancelled (" + names[i] + "): the tree runs on unharmed"), rest);
                try (Stream<Path> s = Files.list(parent)) {
                    assertEquals(List.of(), s.toList(), names[i] + ": not even a hidden temporary remains");
                }
                target.assertUnharmed(names[i], false);
            }
            target.finish();
        }
    }

    @Test
    void sigtermEndsARestoreBeforeTheReleaseAndNoProcessIsLeft() throws Exception {
        Path images = tmp.resolve("img");
        try (CrashTarget target = new CrashTarget(CrashTarget.Shape.TREE)) {
            new DumpEngine().dump(target.pid(), DumpOptions.to(images).withKill(true), DumpListener.NONE);
            assertNull(target.awaitAllGone());
            Jcr p = jcr("restore.memory:pause", "restore", "-D", images.toString());
            awaitLine(p, "fault point restore.memory reached (pause)");
            Linux.kill((int) p.pid(), 15);
            String rest = finish(p);
            assertEquals(130, p.exitValue(), rest);
            assertTrue(rest.contains("every process the restore had made is gone again"), rest);
            assertNull(target.awaitAllGone(), "no half-restored process");
        }
    }

    @Test
    void sigtermWhileWaitingForTheRestoredRootEndsJcrAndTheTreeRunsOn() throws Exception {
        Path images = tmp.resolve("img");
        try (CrashTarget target = new CrashTarget(CrashTarget.Shape.TREE)) {
            target.checkRound("before the dump");
            Map<Integer, Integer> rounds = target.rounds();
            new DumpEngine().dump(target.pid(), DumpOptions.to(images).withKill(true), DumpListener.NONE);
            assertNull(target.awaitAllGone());
            target.rounds(rounds);
            Jcr p = jcr(null, "restore", "-D", images.toString());
            target.assertRestoredAndIntact("restored, jcr waiting for the root");
            Linux.kill((int) p.pid(), 15);
            String rest = finish(p);
            assertEquals(130, p.exitValue(), rest);
            assertTrue(rest.contains("the restored tree runs on"), rest);
            assertFalse(rest.contains("Exception"), rest);
            target.assertRestoredAndIntact("after jcr ended");
            target.finish();
        }
    }
}
