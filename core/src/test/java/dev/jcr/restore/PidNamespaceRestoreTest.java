package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore into a new PID namespace: jcr's init is its pid 1 and every process gets its dumped pid
 * inside, whatever this host's processes use — the same images restore while the original runs, and
 * twice side by side. The init reaps, and killing it ends the namespace.
 */
@Timeout(120)
class PidNamespaceRestoreTest {

    @TempDir
    Path tmp;


    /**
     * Signals PID and returns what it then writes to its stdout (its verdict line): up to where its own
     * position then is (others may write the same file at the same position), or to the end of the file
     * when it exits after the verdict.
     */
    private static String verdict(long pid) throws Exception {
        Path fdinfo = Path.of("/proc/" + pid + "/fdinfo/1");
        Path out = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1"));
        long before = pos(fdinfo);
        new ProcessBuilder("kill", "-USR1", Long.toString(pid)).start().waitFor();
        long deadline = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
        long after = before;
        boolean gone = false;
        while (after == before && !gone && System.nanoTime() < deadline) {
            Thread.sleep(20);
            try {
                after = pos(fdinfo);
            } catch (IOException exited) {
                gone = true;
            }
        }
        byte[] all = Files.readAllBytes(out);
        long end = gone ? all.length : Math.min(all.length, after);
        return new String(all, (int) before, (int) Math.max(0, end - before), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long pos(Path fdinfo) throws IOException {
        return Long.parseLong(Files.readAllLines(fdinfo).get(0).substring(4).trim());
    }

    @Test
    void theSameImagesRestoreBesideTheOriginalWithTheirDumpedPidsInNamespacesOfTheirOwn() throws Exception {
        try (LiveProcess p = Fixture.start("memhog", "8", "10", "churn")) {
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE); // the original runs on

            JcrException taken = assertThrows(JcrException.class,
                    () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
            assertEquals(JcrException.Kind.CONFLICT, taken.kind(), "in this namespace the pid is the original's");

            RestoreResult a = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            RestoreResult b = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            long initA = Long.parseLong(LiveProcess.status(a.hostRootPid(), "PPid"));
            long initB = Long.parseLong(LiveProcess.status(b.hostRootPid(), "PPid"));
            try {
                assertEquals((int) p.pid(), a.rootPid());
                assertNotEquals(a.hostRootPid(), b.hostRootPid());
                assertEquals(a.hostRootPid() + "\t" + p.pid(), LiveProcess.status(a.hostRootPid(), "NSpid"), "its dumped pid inside");
                assertEquals(initA + "\t1", LiveProcess.status(initA, "NSpid"), "jcr's init is pid 1 there");
                assertNotEquals(Files.readSymbolicLink(Path.of("/proc/" + a.hostRootPid() + "/ns/pid")),
                        Files.readSymbolicLink(Path.of("/proc/" + b.hostRootPid() + "/ns/pid")));
                // all three write to the same stdout file at the same (restored) position: one at a time
                for (long pid : new long[] {a.hostRootPid(), b.hostRootPid(), p.pid()}) {
                    assertTrue(verdict(pid).startsWith("PASS memhog"), "process " + pid);
                }
            } finally {
                new ProcessBuilder("kill", "-9", Long.toString(initA), Long.toString(initB)).start().waitFor();
            }
            LiveProcess.awaitGone(a.hostRootPid(), Duration.ofSeconds(10));
            assertFalse(Files.exists(Path.of("/proc/" + a.hostRootPid())), "the namespace ends with its init");
        }
    }

    /** The pids (on this host) of PID's children. */
    private static java.util.List<Long> children(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children")).strip();
        return s.isEmpty() ? java.util.List.of() : java.util.Arrays.stream(s.split(" ")).map(Long::parseLong).toList();
    }

    private static long innermost(long hostPid) {
        String[] ns = LiveProcess.status(hostPid, "NSpid").split("\t");
        return Long.parseLong(ns[ns.length - 1]);
    }

    private static char state(long hostPid) {
        return LiveProcess.status(hostPid, "State").charAt(0);
    }

    /**
     * Every step of a tree's restore addresses its processes by their pid on this host while they get
     * their dumped pids inside: a child cloned from its rebuilt parent (keeping the pages they share
     * copy-on-write, and the pidfd of jcr it inherits, its only way to jcr's descriptors there), a
     * zombie that dies again in its parent, a stopped child that stops again, threads.
     */
    @Test
    void aTreeWithACopyOnWriteChildAZombieAStoppedChildAndThreadsComesBackInANewPidNamespace() throws Exception {
        try (LiveProcess p = Fixture.start("cow")) {
            long child = children(p.pid()).get(0);
            Path dir = tmp.resolve("cow");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir).withKill(true), DumpListener.NONE);
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            long init = Long.parseLong(LiveProcess.status(r.hostRootPid(), "PPid"));
            try {
                long hostChild = children(r.hostRootPid()).get(0);
                assertEquals(child, innermost(hostChild), "the child has its dumped pid inside");
                assertEquals(r.hostRootPid() + "", LiveProcess.status(hostChild, "PPid"), "cloned from its parent");
                String v = verdict(r.hostRootPid());
                assertTrue(v.startsWith("PASS"), "the pages the two shared are shared again: " + v);
            } finally {
                new ProcessBuilder("kill", "-9", Long.toString(init)).start().waitFor();
            }
        }
        try (LiveProcess p = Fixture.start("zombie")) {
            java.util.List<Long> kids = children(p.pid());
            long live = Long.parseLong(p.awaitOutput("LIVE ", LiveProcess.MIN_WAIT).lines()
                    .filter(l -> l.startsWith("LIVE ")).findFirst().orElseThrow().substring(5).strip());
            long zombie = kids.stream().filter(k -> k != live).findFirst().orElseThrow();
            new ProcessBuilder("kill", "-STOP", Long.toString(live)).start().waitFor();
            long until = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
            while (state(live) != 'T' && System.nanoTime() < until) {
                Thread.sleep(5); // the signal acts when the child next runs
            }
            Path dir = tmp.resolve("zombie");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir).withKill(true), DumpListener.NONE);
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            long init = Long.parseLong(LiveProcess.status(r.hostRootPid(), "PPid"));
            try {
                java.util.Map<Long, Long> inside = new java.util.HashMap<>();
                for (long k : children(r.hostRootPid())) {
                    inside.put(innermost(k), k);
                }
                assertEquals(java.util.Set.of(live, zombie), inside.keySet(), "both children with their dumped pids");
                assertEquals('Z', state(inside.get(zombie)), "the zombie died again in its parent");
                assertEquals('T', state(inside.get(live)), "the stopped child stopped again");
            } finally {
                new ProcessBuilder("kill", "-9", Long.toString(init)).start().waitFor();
            }
        }
        try (LiveProcess p = Fixture.startWithFlags("threads", java.util.List.of("-pthread"))) {
            Path dir = tmp.resolve("threads");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE); // the original runs on
            RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).withPidNamespace(true).detached());
            long init = Long.parseLong(LiveProcess.status(r.hostRootPid(), "PPid"));
            try {
                assertEquals("5", LiveProcess.status(r.hostRootPid(), "Threads"));
                try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
                    java.util.Set<Long> dumped = tasks.map(t -> Long.parseLong(t.getFileName().toString()))
                            .collect(java.util.stream.Collectors.toSet());
                    java.util.Set<Long> restored = new java.util.HashSet<>();
                    try (var mine = Files.list(Path.of("/proc/" + r.hostRootPid() + "/task"))) {
                        mine.forEach(t -> restored.add(innermost(Long.parseLong(t.getFileName().toString()))));
                    }
                    assertEquals(dumped, restored, "every thread has its dumped tid inside");
                }
                String v = verdict(r.hostRootPid());
                assertTrue(v.startsWith("PASS"), "every thread counts on: " + v);
            } finally {
                new ProcessBuilder("kill", "-9", Long.toString(init)).start().waitFor();
            }
        }
    }
}
