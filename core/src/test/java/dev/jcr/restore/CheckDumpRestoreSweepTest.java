package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.UnsupportedTreeException;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.JavaPrograms;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@code jcr check}: for every fixture of the suite (every {@code fixtures/*.c}, so a
 * new fixture is swept without being listed, plus a Python loop), check says checkpointable exactly
 * when dump + restore succeed and the restored process verifies its own state. Each fixture is
 * started, checked with the code {@code jcr check} runs ({@link TreeCheck}), then dumped with --kill:
 * <ul>
 * <li>checkpointable: the dump succeeds, the pid comes free, restore brings the tree back with the
 * same pid, and on SIGUSR1 the fixture prints its PASS (or its proof of life);</li>
 * <li>not checkpointable: the dump refuses with exactly the check's blockers, writes nothing, and the
 * fixture runs on.</li>
 * </ul>
 * Restore not handling something yet must show up as "not checkpointable" (the drivers' verdicts
 * promise only what restore does): a fixture that passes the check and then fails to restore fails here.
 *
 * <p>Every fixture runs twice: alone, and with a shell loop running {@code sleep} beside it
 * ({@code sh -c 'while :; do sleep 1; done & exec FIXTURE'}: the fixture is the root, the loop its
 * child), the shape of most real trees (a restore once failed for any tree running /bin/sleep). A Java
 * program with default JVM options is swept once, like the Python loop.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CheckDumpRestoreSweepTest {

    /** How one fixture is started and how it proves, after restore, that its state survived. */
    record Setup(List<String> gccFlags, Function<Path, List<String>> args, String usr1Proof) {
        /**
         * The defaults: a scratch directory as the only argument (fixtures that need a DIR take argv[1],
         * the others ignore it), PASS on SIGUSR1.
         */
        static Setup plain() {
            return new Setup(List.of(), work -> List.of(work.toString()), "PASS");
        }

        Setup args(Function<Path, List<String>> a) {
            return new Setup(gccFlags, a, usr1Proof);
        }

        Setup flags(String... f) {
            return new Setup(List.of(f), args, usr1Proof);
        }

        Setup proof(String p) {
            return new Setup(gccFlags, args, p);
        }
    }

    /** Fixtures that need more than {@link Setup#plain()}; every other fixtures/*.c gets the defaults. */
    private static final Map<String, Setup> SETUPS = Map.ofEntries(
            Map.entry("threads", Setup.plain().flags("-pthread")),
            Map.entry("thread_masks", Setup.plain().flags("-pthread")),
            Map.entry("spawner", Setup.plain().flags("-pthread")),
            Map.entry("fown", Setup.plain().flags("-pthread")),
            Map.entry("pattern", Setup.plain().args(w -> List.of("8"))), // 8 MiB, not the default
            Map.entry("sparse", Setup.plain().args(w -> List.of("2", "1"))), // small sizes in MiB
            Map.entry("unix", Setup.plain().args(w -> List.of(w.resolve("sock").toString()))),
            Map.entry("viewer_mutate", Setup.plain().args(w -> List.of(w.resolve("log").toString())).proof("CHANGED")),
            // no SIGUSR1 handler: SIGUSR1 would kill it; proof of life is ticking on after restore
            Map.entry("ticker", Setup.plain().proof(null)));

    /**
     * Left out, with the reason: spawner's tree changes shape every few milliseconds (children and
     * threads come and go, zombies included), so the check and the dump see different trees and
     * neither answer is wrong; freezing it is TracerTest's business. tty_job is a shell job that verifies
     * its terminal: only a test that gives it one (in tmux) can run it. unix_server and unix_client are
     * the two sides of a connection across trees (UnixSocketRestoreTest): the server has no SIGUSR1.
     */
    private static final Set<String> LEFT_OUT = Set.of("spawner", "tty_job", "unix_server", "unix_client");

    /**
     * Fixtures whose check says checkpointable although restore does not bring everything back yet,
     * with what is missing: a contract breach known and being fixed elsewhere. Such a fixture is still
     * checked, dumped and restored; only its failing proof is reported as skipped instead of failed,
     * and once it passes, its outcome line says the entry can go.
     */
    private static final Map<String, String> KNOWN_GAPS = Map.of();

    @TempDir
    Path tmp;

    /** Fixtures with a shell loop running sleep as their child: every C fixture, and the Python loop. */
    static Stream<String> fixturesBesideASleepLoop() throws IOException, URISyntaxException {
        return fixtures().filter(n -> !n.equals("java"));
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(Fixture.class.getResource("/fixtures").toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).filter(n -> !LEFT_OUT.contains(n)).sorted()
                    .forEach(names::add);
        }
        names.add("python3");
        names.add("java");
        // -Dsweep.only=a,b runs just those (when working on a fixture)
        String only = System.getProperty("sweep.only");
        if (only != null) {
            names.retainAll(List.of(only.split(",")));
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void checkSaysCheckpointableExactlyWhenDumpAndRestoreSucceed(String name) throws Exception {
        sweep(name, false);
    }

    @ParameterizedTest(name = "{0} beside a sleep loop")
    @MethodSource("fixturesBesideASleepLoop")
    void sameBesideAShellLoopRunningSleep(String name) throws Exception {
        sweep(name, true);
    }

    private void sweep(String fixture, boolean besideLoop) throws Exception {
        String name = fixture + (besideLoop ? " (beside a sleep loop)" : "");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Setup setup = SETUPS.getOrDefault(fixture, Setup.plain());
        LiveProcess p = start(fixture, setup, work, besideLoop);
        try (Group g = new Group(p.pid())) {
            TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
            Path dir = tmp.resolve("img");
            try {
                new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
            } catch (UnsupportedTreeException e) {
                assertFalse(check.checkpointable(), name + ": check said checkpointable but dump refused: " + e.getMessage());
                assertEquals(check.messages(), e.blockers(), name + ": dump refuses for the check's reasons");
                assertFalse(Files.exists(dir), "a refused dump writes nothing");
                assertTrue(p.isAlive(), name + " keeps running after a refused dump");
                outcome(name + ": not checkpointable (" + check.cause().orElseThrow() + "), dump refused "
                        + e.kind() + ", runs on: " + String.join("; ", check.messages()));
                return;
            } catch (JcrException e) {
                fail(name + ": dump failed with " + e.kind() + " (check said " + check.checkpointable() + "): "
                        + e.getMessage(), e);
            }
            assertTrue(check.checkpointable(), name + ": dump succeeded but check said no: " + check.messages());
            // no waiting here: dump --kill returns once every pid of the tree is free
            assertFalse(Files.exists(Path.of("/proc/" + p.pid())), name + ": --kill leaves no process behind");
            RestoreResult r;
            try {
                r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            } catch (JcrException e) {
                throw new AssertionError(name + ": check said checkpointable, dump worked, restore failed with "
                        + e.kind() + ": " + e.getMessage(), e);
            }
            assertEquals((int) p.pid(), r.rootPid(), name + ": restored with its own pid");
            try {
                prove(name, p, setup);
            } catch (AssertionError e) {
                if (KNOWN_GAPS.containsKey(name)) {
                    outcome(name + ": checkpointable, dumped, restored, NO PASS (known gap: " + KNOWN_GAPS.get(name) + ")");
                    Need.knownGap(name + ": known gap: " + KNOWN_GAPS.get(name) + "; " + e.getMessage());
                }
                throw e;
            }
            outcome(name + ": checkpointable, dumped, restored, " + (setup.usr1Proof() == null ? "ticking" : setup.usr1Proof())
                    + (KNOWN_GAPS.containsKey(name) ? " (known gap closed: remove it from KNOWN_GAPS)" : ""));
        }
    }

    /** One line per fixture in the build log: the sweep's table (surefire keeps no JUnit report entries). */
    private static void outcome(String line) {
        System.out.println("SWEEP " + line);
    }

    private static LiveProcess start(String name, Setup setup, Path work, boolean besideLoop) {
        List<String> argv = new ArrayList<>();
        if (besideLoop) {
            // the shell starts the loop in a subshell and then becomes the fixture: same pid, loop as child
            argv.addAll(List.of("/bin/sh", "-c", "while :; do sleep 1; done & exec \"$0\" \"$@\""));
        }
        if (name.equals("python3")) {
            Path python = Path.of("/usr/bin/python3");
            Need.tool(python, "python3");
            String prog = "import signal,sys,time\n"
                    + "n=0\n"
                    + "def usr1(s,f):\n    print('PASS', n, flush=True)\n"
                    + "signal.signal(signal.SIGUSR1, usr1)\n"
                    + "print('READY', flush=True)\n"
                    + "while True:\n    n+=1\n    time.sleep(0.01)\n";
            argv.addAll(List.of(python.toString(), "-c", prog));
        } else if (name.equals("java")) {
            // default JVM options, as a user starts one: it maps its perf-data file in /tmp/hsperfdata_USER
            argv.addAll(JavaPrograms.command(JavaPrograms.compile("Usr1Counter", USR1_COUNTER), "Usr1Counter"));
        } else {
            argv.add(Fixture.compile(name, setup.gccFlags().toArray(String[]::new)).toString());
            argv.addAll(setup.args().apply(work));
        }
        return LiveProcess.startCommand(argv, Duration.ofSeconds(60), "READY");
    }

    /** A Java counter that answers SIGUSR1 with "PASS n", as the fixtures do. */
    private static final String USR1_COUNTER = """
            public class Usr1Counter {
                static volatile long n;
                public static void main(String[] args) throws Exception {
                    sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> System.out.println("PASS " + n));
                    System.out.println("READY");
                    while (true) {
                        n++;
                        Thread.sleep(5);
                    }
                }
            }
            """;

    /**
     * The fixture's whole process group, killed at the end without waiting for init to reap it (no
     * later test needs these pids, and the wait costs seconds per fixture): the sleep loop and any
     * children die with the fixture.
     */
    private record Group(long pid) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        }
    }

    /** The fixture's own verdict on its state after restore: its proof line on SIGUSR1, or ticks going on. */
    private static void prove(String name, LiveProcess p, Setup setup) {
        Duration wait = Duration.ofSeconds(30);
        if (setup.usr1Proof() == null) {
            int ticks = p.stdout().split("TICK").length;
            p.awaitOutput("TICK " + (ticks + 5), wait);
            return;
        }
        assertTrue(p.isAlive(), name + " runs after restore");
        int before = p.stdout().length();
        // Fixtures wait in "while (!flag) pause();": a SIGUSR1 that lands after the resumed task left the
        // kernel and before it re-enters pause() is handled, and pause() then sleeps on (the classic lost
        // wake-up; any resumption from a trace stop, restore or plain detach, opens that window). So
        // the request is repeated until answered; each handler only sets the flag again.
        long deadline = System.nanoTime() + wait.toNanos();
        long nextSignal = 0;
        while (!p.stdout().substring(before).contains(setup.usr1Proof())) {
            if (System.nanoTime() > deadline || !p.isAlive() && !p.stdout().substring(before).contains(setup.usr1Proof())) {
                fail(name + ": no '" + setup.usr1Proof() + "' after restore (alive: " + p.isAlive() + "); "
                        + signalState(p.pid()) + "; stdout:\n" + p.stdout() + "\nstderr:\n" + p.stderr());
            }
            if (System.nanoTime() > nextSignal && p.isAlive()) {
                p.signal("USR1");
                nextSignal = System.nanoTime() + 2_000_000_000L;
            }
            sleepBriefly();
        }
        assertFalse(p.stdout().substring(before).contains("FAIL"), name + ": " + p.stdout().substring(before));
    }

    /** The signal lines of /proc/PID/status, to tell a blocked or ignored SIGUSR1 from a lost one. */
    private static String signalState(long pid) {
        try {
            return String.join(", ", Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Sig") || l.startsWith("ShdPnd") || l.startsWith("State")).toList())
                    + ", syscall " + Files.readString(Path.of("/proc/" + pid + "/syscall")).strip()
                    + ", fd1 " + Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1"))
                    + ", ppid " + Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ")[1];
        } catch (IOException e) {
            return "no status";
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
