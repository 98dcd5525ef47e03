package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TracerTest {

    private static final int SELF = (int) ProcessHandle.current().pid();

    @Test
    void seizingStopsEveryThreadAndDetachLeavesFixtureRunningCorrectly() {
        try (LiveProcess p = Fixture.startWithFlags("threads", List.of("-pthread"))) {
            try (Tracer tracer = Tracer.start()) {
                FrozenTree tree = tracer.seizeTree((int) p.pid());
                assertEquals(1, tree.processes().size());
                List<Integer> threads = tree.processes().get(0).threads();
                assertEquals(5, threads.size(), "main + 4 workers");
                assertEquals((int) p.pid(), threads.get(0), "leader first");
                assertEquals(new HashSet<>(ProcView.tasks(p.pid())), new HashSet<>(threads));
                for (int tid : threads) {
                    assertEquals('t', ProcView.state(p.pid(), tid), "tid " + tid + " is in a trace stop");
                    assertEquals(tracer.threadId(), ProcView.tracerPid(tid));
                }
            }
            for (int tid : ProcView.tasks(p.pid())) {
                assertEquals(0, ProcView.tracerPid(tid), "detached");
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS"));
        }
    }

    @Test
    void frozenProcessMakesNoProgressAndResumesAfterDetach() {
        try (LiveProcess p = Fixture.start("ticker")) {
            p.awaitOutput("TICK 3", Duration.ofSeconds(10));
            int frozenAt;
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree((int) p.pid());
                frozenAt = ProcView.ticks(p.stdout());
                ProcView.sleep(200);
                assertEquals(frozenAt, ProcView.ticks(p.stdout()), "no tick while frozen");
            }
            p.awaitOutput("TICK " + (frozenAt + 5), Duration.ofSeconds(10));
            String out = p.stdout();
            // every tick exactly once, in order: the interrupted usleep was restarted, nothing skipped
            String[] lines = out.substring(out.indexOf("TICK 1\n")).split("\n");
            for (int i = 0; i < lines.length - 1; i++) {
                assertEquals("TICK " + (i + 1), lines[i]);
            }
        }
    }

    @Test
    void seizingCatchesThreadsAndChildrenCreatedWhileFreezing() {
        try (LiveProcess p = Fixture.startWithFlags("spawner", List.of("-pthread"))) {
            for (int round = 0; round < 15; round++) {
                try (Tracer tracer = Tracer.start()) {
                    FrozenTree tree = tracer.seizeTree((int) p.pid());
                    Set<Integer> traced = new HashSet<>(tree.allThreads());
                    // nothing of the tree escaped: every thread and every child of every frozen process is ours
                    for (FrozenTree.FrozenProcess fp : tree.processes()) {
                        if (fp.zombie()) {
                            continue;
                        }
                        for (int tid : ProcView.tasks(fp.pid())) {
                            char st = ProcView.state(fp.pid(), tid);
                            if (st != 'Z' && st != 'X') {
                                assertTrue(traced.contains(tid), "thread " + tid + " of " + fp.pid() + " traced");
                                assertEquals('t', st);
                            }
                        }
                        for (int child : ProcView.children(fp.pid())) {
                            assertTrue(tree.process(child).isPresent(), "child " + child + " in the tree");
                        }
                    }
                }
                ProcView.sleep(10);
            }
            assertTrue(p.isAlive());
        }
    }

    @Test
    void seizingAMissingProcessIsNoSuchProcess() {
        try (Tracer tracer = Tracer.start()) {
            JcrException e = assertThrows(JcrException.class, () -> tracer.seizeTree(unusedPid()));
            assertEquals(JcrException.Kind.NO_SUCH_PROCESS, e.kind());
        }
    }

    @Test
    void seizingAProcessTracedBySomeoneElseNamesTheTracer() {
        try (LiveProcess p = Fixture.start("loop"); Tracer first = Tracer.start(); Tracer second = Tracer.start()) {
            first.seizeTree((int) p.pid());
            JcrException e = assertThrows(JcrException.class, () -> second.seizeTree((int) p.pid()));
            assertEquals(JcrException.Kind.TRACED, e.kind());
            assertTrue(e.getMessage().contains("traced by process " + SELF), e.getMessage());
            first.close();
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void registersReadBackWrittenUnchangedKeepTheFixtureCorrect() {
        try (LiveProcess p = Fixture.startWithFlags("threads", List.of("-pthread"))) {
            try (Tracer tracer = Tracer.start()) {
                FrozenTree tree = tracer.seizeTree((int) p.pid());
                for (int tid : tree.allThreads()) {
                    GpRegs r = tracer.gpRegs(tid);
                    assertTrue(r.ip() != 0 && r.sp() != 0);
                    assertTrue(r.fsBase() != 0, "glibc threads have a TLS base");
                    assertEquals(0x33, r.cs(), "64-bit user code segment");
                    tracer.setGpRegs(tid, r);
                    assertEquals(r, tracer.gpRegs(tid));
                    long mask = tracer.sigmask(tid);
                    tracer.setSigmask(tid, mask);
                    assertEquals(mask, tracer.sigmask(tid));
                }
            }
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void ptraceRequestsOnlyRunOnTheTracerThread() {
        try (Tracer tracer = Tracer.start()) {
            assertTrue(!tracer.isTracerThread());
            assertTrue(tracer.call(tracer::isTracerThread));
            assertThrows(IllegalStateException.class, () -> tracer.attach(1, 1, 0));
        }
    }

    @Test
    void aStoppedProcessIsReportedStoppedAndStaysStoppedAfterDetach() {
        try (LiveProcess p = Fixture.start("ticker")) {
            p.signal("STOP");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ProcView.state(p.pid(), p.pid()) != 'T' && System.nanoTime() < deadline) {
                ProcView.sleep(5);
            }
            try (Tracer tracer = Tracer.start()) {
                FrozenTree tree = tracer.seizeTree((int) p.pid());
                assertTrue(tree.processes().get(0).stopped(), "found group-stopped");
                assertEquals(19, tree.processes().get(0).groupStopSignal(), "by SIGSTOP");
                try (RemoteSyscalls rs = tracer.remote((int) p.pid())) {
                    assertEquals(p.pid(), rs.getpid(), "a stopped task can still be driven");
                }
            }
            ProcView.sleep(100);
            assertEquals('T', ProcView.state(p.pid(), p.pid()), "still stopped after detach");
            int at = ProcView.ticks(p.stdout());
            ProcView.sleep(100);
            assertEquals(at, ProcView.ticks(p.stdout()));
            p.signal("CONT");
            p.awaitOutput("TICK " + (at + 3), Duration.ofSeconds(10));
        }
    }

    @Test
    void zombieChildrenAreListedButNotTracedAndLiveChildrenAreFrozen() {
        try (LiveProcess p = Fixture.start("zombie")) {
            int live = Integer.parseInt(SignalStateTest.line(p.stdout(), "LIVE")[1]);
            int zombie = Integer.parseInt(SignalStateTest.line(p.stdout(), "ZOMBIE")[1]);
            try (Tracer tracer = Tracer.start()) {
                FrozenTree tree = tracer.seizeTree((int) p.pid());
                assertEquals(List.of((int) p.pid(), live, zombie),
                        tree.processes().stream().map(FrozenTree.FrozenProcess::pid).toList(), "parents first, by pid");
                FrozenTree.FrozenProcess z = tree.process(zombie).orElseThrow();
                assertTrue(z.zombie());
                assertTrue(z.threads().isEmpty());
                assertEquals((int) p.pid(), z.ppid());
                FrozenTree.FrozenProcess l = tree.process(live).orElseThrow();
                assertEquals('t', ProcView.state(live, live));
                assertEquals((int) p.pid(), l.ppid());
                assertEquals(List.of((int) p.pid(), live), tree.allThreads());
            }
            assertEquals('Z', ProcView.state(zombie, zombie), "still a zombie, untouched");
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    static int unusedPid() {
        for (int pid = 4_000_000; pid > 1000; pid -= 7919) {
            if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + pid))) {
                return pid;
            }
        }
        throw new IllegalStateException();
    }
}
