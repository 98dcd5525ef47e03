package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.DumpResult;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees as ordinary programs make them, dumped with --kill and restored at once (no waiting in
 * between: the dump returns when the pids are free, or says who holds them).
 */
@Timeout(120)
class ProcessTreeRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aShellLoopRunningSleepComesBackAtOnceAfterTheKillAndLoopsOn() throws Exception {
        // the seed of a restore was /bin/sleep itself: PR_SET_MM_MAP then refused (EBUSY) to make a
        // restored sleep's exe /bin/sleep while the seed's copy was still mapped
        List<String> cmd = List.of("/bin/sh", "-c", "echo READY; while :; do sleep 1000; echo NEXT; done");
        try (LiveProcess sh = LiveProcess.startCommand(cmd, WAIT, "READY")) {
            int sleep = awaitChild(sh.pid());
            Path exe = Files.readSymbolicLink(Path.of("/proc/" + sleep + "/exe"));
            DumpResult d = new DumpEngine().dump((int) sh.pid(), new DumpOptions(tmp.resolve("img"), true, false),
                    DumpListener.NONE);
            assertEquals(List.of(), d.warnings(), "every pid was reaped before the dump returned");
            assertTrue(!Files.exists(Path.of("/proc/" + sleep)), "--kill returns once the pids are free");
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(tmp.resolve("img")).detached());
            assertEquals(List.of((int) sh.pid(), sleep), r.pids());
            assertEquals(exe, Files.readSymbolicLink(Path.of("/proc/" + sleep + "/exe")));
            assertEquals("sleep\u00001000\u0000", Files.readString(Path.of("/proc/" + sleep + "/cmdline")));
            // the restored shell reaps its restored child and goes on looping
            new ProcessBuilder("kill", "-TERM", Integer.toString(sleep)).start().waitFor();
            sh.awaitOutput("NEXT", WAIT);
            int next = awaitChild(sh.pid());
            assertTrue(next != sleep, "a new sleep runs");
            new ProcessBuilder("kill", "-KILL", Integer.toString(next)).start().waitFor();
        }
    }

    @Test
    void aKilledRootItsParentDoesNotReapIsNamedByTheDumpAndByTheRestoreConflict() throws Exception {
        // the parent execs a sleep, which never waits for children: the killed root stays its zombie
        List<String> cmd = List.of("/bin/sh", "-c", "setsid sleep 1000 & echo \"CHILD $!\"; echo READY; exec sleep 2000");
        try (LiveProcess parent = LiveProcess.startCommand(cmd, WAIT, "READY")) {
            int child = Integer.parseInt(parent.stdout().lines().filter(l -> l.startsWith("CHILD ")).findFirst()
                    .orElseThrow().substring(6));
            try {
                DumpResult d = new DumpEngine().dump(child, new DumpOptions(tmp.resolve("img"), true, false)
                        .withReapWait(Duration.ofMillis(300)), DumpListener.NONE);
                String holder = "zombie of " + child + ", not yet reaped by its parent " + parent.pid() + " (sleep)";
                assertEquals(List.of("pid " + child + " is still in use 0.3 s after the kill (" + holder
                        + "): a restore needs it free"), d.warnings());
                JcrException e = assertThrows(JcrException.class,
                        () -> new RestoreEngine(null).restore(RestoreOptions.of(tmp.resolve("img")).detached()));
                assertEquals(JcrException.Kind.CONFLICT, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains("PID " + child + " (process \"sleep\") is in use: " + holder), e.getMessage());
            } finally {
                new ProcessBuilder("kill", "-KILL", Integer.toString(child)).start().waitFor();
            }
        }
    }

    /** The one child of PID, once it has exec'd (bounded wait). */
    private static int awaitChild(long pid) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String kids = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).trim();
            if (!kids.isEmpty()) {
                int c = Integer.parseInt(kids.split(" ")[0]);
                if (Files.readString(Path.of("/proc/" + c + "/comm")).strip().equals("sleep")) {
                    return c;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no sleep child of " + pid);
    }
}
