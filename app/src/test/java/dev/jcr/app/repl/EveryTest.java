package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.ExitCode;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EveryTest {

    @TempDir
    Path tmp;

    @Test
    void prunesOnlyTheDirectoriesItsRunsProducedBeyondKeep() throws Exception {
        Path foreign = Files.createDirectories(tmp.resolve("job-2"));
        Files.writeString(foreign.resolve("notes"), "not ours");
        TestCommands.Captured c = new TestCommands.Captured();
        int status = c.session.executeLine("every 20ms --count 5 --keep 2 mkdirs " + tmp + "/job-{n}");
        assertEquals(0, status, c.err());
        // {n} skipped 2 (it existed): runs wrote 1, 3, 4, 5, 6; the two newest are kept
        assertTrue(Files.isDirectory(tmp.resolve("job-5")) && Files.isDirectory(tmp.resolve("job-6")));
        for (String gone : new String[] {"job-1", "job-3", "job-4"}) {
            assertFalse(Files.exists(tmp.resolve(gone)), gone + " should be pruned");
        }
        assertEquals("not ours", Files.readString(foreign.resolve("notes")), "a directory it did not produce is never pruned");
        String out = c.out();
        assertTrue(out.contains("every: #2 "), out);
        assertTrue(out.contains(" mkdirs " + tmp + "/job-3\n"), out);
        assertTrue(out.contains("every: pruned " + tmp.resolve("job-1") + "\n"), out);
        assertTrue(out.contains("every: stopped after 5 runs (5 ok, 0 failed) in "), out);
        assertTrue(out.contains(": --count 5 reached\n"), out);
        assertTrue(out.contains("every: kept " + tmp.resolve("job-5") + " " + tmp.resolve("job-6") + "; pruned 3\n"), out);
    }

    @Test
    void stopsCleanlyWhenTheTargetProcessExits() throws Exception {
        LiveProcess p = Fixture.start("loop");
        try {
            TestCommands.Captured c = new TestCommands.Captured();
            CompletableFuture<Integer> every = CompletableFuture.supplyAsync(() -> c.session.executeLine("every 50ms probe " + p.pid()));
            awaitText(c, "every: #3 ");
            p.close(); // the job ends
            int status = every.get(20, TimeUnit.SECONDS);
            assertEquals(0, status, "the job ending is the schedule's normal end: " + c.err());
            assertTrue(c.out().contains(": process " + p.pid() + " exited"), c.out());
            assertTrue(c.out().contains("0 failed") || c.out().contains("exited during run"), c.out());
        } finally {
            p.close();
        }
    }

    @Test
    void ctrlCEndsTheWaitAndReportsWhatWasDone() throws Exception {
        TestCommands.Captured c = new TestCommands.Captured();
        CompletableFuture<Integer> every = CompletableFuture.supplyAsync(() -> c.session.executeLine("every 1h echo tick"));
        awaitText(c, "tick\n");
        c.session.cancellation().cancel(); // what the REPL's SIGINT handler calls
        assertEquals(Session.CANCELLED, every.get(10, TimeUnit.SECONDS));
        assertTrue(c.out().contains("every: stopped after 1 run (1 ok, 0 failed) in "), c.out());
        assertTrue(c.out().contains(": cancelled (Ctrl-C)\n"), c.out());
        assertEquals(Session.CANCELLED, c.session.variables().status());
    }

    @Test
    void aFailedRunStopsTheScheduleUnlessKeepGoing() {
        TestCommands.Captured c = new TestCommands.Captured();
        assertEquals(ExitCode.USAGE.code, c.session.executeLine("every 10ms --count 3 sleep 10q"));
        assertTrue(c.out().contains("stopped after 1 run (0 ok, 1 failed)"), c.out());
        assertTrue(c.out().contains("run #1 failed with exit 2"), c.out());

        TestCommands.Captured k = new TestCommands.Captured();
        assertEquals(ExitCode.USAGE.code, k.session.executeLine("every 10ms --keep-going --count 3 sleep 10q"));
        assertTrue(k.out().contains("stopped after 3 runs (0 ok, 3 failed)"), k.out());
        assertTrue(k.err().contains("every: run #3 (sleep 10q) exited 2"), k.err());
    }

    @Test
    void aTargetThatDoesNotExistIsAFailureNotAnEnd() {
        TestCommands.Captured c = new TestCommands.Captured();
        assertEquals(ExitCode.NO_SUCH_PROCESS.code, c.session.executeLine("every 10ms --count 3 probe 2147483647"));
        assertTrue(c.err().contains("probe: no such process: 2147483647"), c.err());
    }

    @Test
    void optionsAfterTheCommandNameBelongToTheCommand() {
        TestCommands.Captured c = new TestCommands.Captured();
        assertEquals(0, c.session.executeLine("every --count 1 10ms probe --help"));
        assertTrue(c.out().contains("Usage: jcr probe"), "--help reached probe, not every: " + c.out());
    }

    @Test
    void keepWithoutAPlaceholderIsAUsageError() {
        TestCommands.Captured c = new TestCommands.Captured();
        assertEquals(ExitCode.USAGE.code, c.session.executeLine("every 1s --keep 2 mkdirs " + tmp + "/fixed"));
        assertTrue(c.err().contains("--keep needs {n} or {time}"), c.err());
        assertFalse(Files.exists(tmp.resolve("fixed")), "nothing ran");
    }

    @Test
    void jcrEveryOnTheShellRunsTheSameWayInASessionOfItsOwn() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status = dev.jcr.app.Main.execute(new String[] {"every", "10ms", "--count", "2", "echo", "run", "{n}", "--count"},
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(ExitCode.USAGE.code, status, "echo has no --count: the option after COMMAND is echo's");
        assertTrue(err.toString().contains("echo: Unknown option: '--count'"), err.toString());

        java.io.StringWriter out2 = new java.io.StringWriter();
        status = dev.jcr.app.Main.execute(new String[] {"every", "10ms", "--count", "2", "echo", "run", "{n}"},
                new java.io.PrintWriter(out2, true), new java.io.PrintWriter(new java.io.StringWriter(), true));
        assertEquals(0, status);
        assertTrue(out2.toString().contains("\nrun 1\n") && out2.toString().contains("\nrun 2\n"), out2.toString());
        assertTrue(out2.toString().contains("every: stopped after 2 runs (2 ok, 0 failed)"), out2.toString());
    }

    private static void awaitText(TestCommands.Captured c, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.out().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in: " + c.out() + c.err());
            }
            Thread.sleep(10);
        }
    }
}
