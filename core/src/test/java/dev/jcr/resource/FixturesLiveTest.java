package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.FdKind;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.proc.SignalMasks;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.proc.Vma;
import dev.jcr.proc.VmaKind;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real process per resource family; each must get the right kinds, details and verdicts. */
class FixturesLiveTest {

    private final ProcFs fs = ProcFs.system();

    @TempDir
    Path tmp;

    /** "KEY name value" lines of the fixture's stdout, by name. */
    private static Map<String, String> lines(LiveProcess p, String key) {
        Map<String, String> m = new HashMap<>();
        for (String line : p.stdout().split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals(key) && f.length == 3) {
                m.put(f[1], f[2]);
            }
        }
        return m;
    }

    private static Assessment byResource(ProcessReport r, String resource) {
        return r.assessments().stream().filter(a -> a.resource().equals(resource)).findFirst()
                .orElseThrow(() -> new AssertionError("no assessment for " + resource + " in " + r.assessments()));
    }

    private OpenFd fd(long pid, String n) {
        int fd = Integer.parseInt(n);
        return fs.fds(pid).stream().filter(f -> f.fd() == fd).findFirst().orElseThrow();
    }

    @Test
    void filesAndPipesAreSupportedButFifosAndDeletedFilesAreNotRestorableYet() {
        try (LiveProcess p = Fixture.start("files", tmp.toString())) {
            Map<String, String> fds = lines(p, "FD");
            OpenFd reg = fd(p.pid(), fds.get("regular"));
            assertEquals(FdKind.REGULAR, reg.kind());
            assertEquals(3, reg.position());
            assertEquals("rw", reg.accessMode());
            assertEquals(FdKind.FIFO, fd(p.pid(), fds.get("fifo")).kind());
            OpenFd r = fd(p.pid(), fds.get("pipe_read"));
            OpenFd w = fd(p.pid(), fds.get("pipe_write"));
            assertEquals(FdKind.PIPE, r.kind());
            assertEquals(r.detail(), w.detail(), "both ends name the same pipe inode");
            assertEquals("w", w.accessMode());
            OpenFd small = fd(p.pid(), fds.get("small_deleted"));
            assertEquals(FdKind.DELETED_FILE, small.kind());
            assertEquals(100, ((FdDetail.File) small.detail()).size());
            assertTrue(((FdDetail.File) small.detail()).path().deleted());
            assertEquals(FdKind.DIRECTORY, fd(p.pid(), fds.get("directory")).kind());

            ProcessReport rep = new Analyzer(fs).analyze(p.pid());
            for (String n : List.of("regular", "pipe_read", "pipe_write", "directory")) {
                assertEquals(Verdict.SUPPORTED, byResource(rep, "fd " + fds.get(n)).verdict(), n);
            }
            Assessment fifo = byResource(rep, "fd " + fds.get("fifo"));
            assertEquals(Verdict.SUPPORTED, fifo.verdict());
            assertEquals("FIFO " + tmp.resolve("fifo") + ", rw", fifo.reason());
            Assessment smallA = byResource(rep, "fd " + fds.get("small_deleted"));
            assertEquals(Verdict.SUPPORTED, smallA.verdict());
            assertEquals("deleted file " + tmp.resolve("small-deleted") + " (100 B), rw at offset 100", smallA.reason());
            Assessment big = byResource(rep, "fd " + fds.get("big_deleted"));
            assertEquals(Verdict.NEEDS_OPTION, big.verdict());
            assertTrue(big.reason().contains("(2 MiB): larger than the ghost-file limit of 1 MiB: dump with"
                    + " --ghost-limit 2M or more"), big.reason());
            assertEquals(List.of(big), rep.blockers());
        }
    }

    @Test
    void tcpListenerAndEstablishedConnectionAreRecognisedAndSupportedWithThePeerFoundInTheTree() {
        try (LiveProcess p = Fixture.start("tcp")) {
            Map<String, String> fds = lines(p, "FD");
            int listenPort = Integer.parseInt(p.stdout().lines().filter(l -> l.startsWith("PORT ")).findFirst()
                    .orElseThrow().substring(5));
            FdDetail.Socket l = (FdDetail.Socket) fd(p.pid(), fds.get("listen")).detail();
            assertEquals(FdKind.TCP, l.socket().kind());
            assertEquals("listening", l.socket().state());
            assertEquals("127.0.0.1:" + listenPort, l.socket().local());
            FdDetail.Socket c = (FdDetail.Socket) fd(p.pid(), fds.get("client")).detail();
            assertEquals("established", c.socket().state());
            assertEquals("127.0.0.1:" + listenPort, c.socket().remote());
            FdDetail.Socket s = (FdDetail.Socket) fd(p.pid(), fds.get("server")).detail();
            assertEquals(c.socket().local(), s.socket().remote());

            ProcessReport rep = new Analyzer(fs).analyze(p.pid());
            Assessment a = byResource(rep, "fd " + fds.get("listen"));
            assertEquals(Verdict.SUPPORTED, a.verdict());
            assertEquals("TCP socket listening on 127.0.0.1:" + listenPort + " (backlog 4)", a.reason());
            assertTrue(byResource(rep, "fd " + fds.get("client")).reason()
                    .startsWith("TCP socket established 127.0.0.1:"));
            assertEquals(List.of(), rep.blockers());
            // inside the tree, each end of the connection is found holding the other
            TreeReport tree = TreeCheck.system().check(p.pid(), java.util.Set.of());
            assertTrue(tree.checkpointable(), tree.messages().toString());
            Assessment client = tree.rootReport().assessments().stream()
                    .filter(x -> x.resource().equals("fd " + fds.get("client"))).findFirst().orElseThrow();
            assertTrue(client.reason().contains("(peer in the tree: pid " + p.pid() + " (tcp")
                    && client.reason().endsWith(") fd " + fds.get("server") + ")"), client.reason());
        }
    }

    @Test
    void unixSocketPairAndListenerAreRecognised() {
        Path sock = tmp.resolve("s.sock");
        try (LiveProcess p = Fixture.start("unix", sock.toString())) {
            Map<String, String> fds = lines(p, "FD");
            OpenFd pair = fd(p.pid(), fds.get("pair0"));
            assertEquals(FdKind.UNIX_STREAM, pair.kind());
            assertEquals("connected", ((FdDetail.Socket) pair.detail()).socket().state());
            FdDetail.Socket l = (FdDetail.Socket) fd(p.pid(), fds.get("listen")).detail();
            assertEquals("listening", l.socket().state());
            assertEquals(sock.toString(), l.socket().local());
            ProcessReport rep = new Analyzer(fs).analyze(p.pid());
            assertEquals("unix stream socket listening on " + sock, byResource(rep, "fd " + fds.get("listen")).reason());
            assertEquals(Verdict.SUPPORTED, byResource(rep, "fd " + fds.get("listen")).verdict());
            assertEquals("unix stream socket, connected to socket:[" + ((FdDetail.Socket) fd(p.pid(), fds.get("pair1"))
                    .detail()).socket().inode() + "]", byResource(rep, "fd " + fds.get("pair0")).reason());
            assertEquals(ResourceKind.UNIX_SOCKET, byResource(rep, "fd " + fds.get("pair1")).kind());
        }
    }

    @Test
    void threadsAreListedWithTheirOwnSignalMasks() {
        try (LiveProcess p = Fixture.startWithFlags("thread_masks", List.of("-pthread"))) {
            List<ThreadInfo> threads = fs.threads(p.pid());
            assertEquals(4, threads.size());
            assertEquals(p.pid(), threads.get(0).tid());
            assertEquals(4, fs.process(p.pid()).threads());
            // the workers block SIGUSR2 on top of what they inherited (the JVM's launch may block others)
            long inherited = threads.get(0).blocked();
            assertTrue(!SignalMasks.names(inherited).contains("SIGUSR2"));
            for (ThreadInfo t : threads.subList(1, 4)) {
                assertEquals(List.of("SIGUSR2"), SignalMasks.names(t.blocked() & ~inherited), "worker " + t.tid());
            }
            ProcessReport rep = new Analyzer(fs).analyze(p.pid());
            assertEquals(Verdict.SUPPORTED, rep.verdict(), rep.blockers().toString());
            assertEquals(4, rep.assessments().stream().filter(a -> a.kind() == ResourceKind.THREAD).count());
        }
    }

    @Test
    void processUnderPtraceIsRefusedNamingItsTracer() {
        try (LiveProcess p = Fixture.start("traced")) {
            long tracee = Long.parseLong(p.stdout().lines().filter(l -> l.startsWith("TRACEE ")).findFirst()
                    .orElseThrow().substring(7));
            try {
                ProcessInfo info = fs.process(tracee);
                assertEquals(p.pid(), info.tracerPid());
                assertTrue(info.isTraced());
                ProcessReport rep = new Analyzer(fs).analyze(tracee);
                assertEquals(Verdict.UNSUPPORTED, rep.verdict());
                assertTrue(rep.blockers().get(0).reason().startsWith("already traced by pid " + p.pid() + " (traced-"),
                        rep.blockers().toString());
            } finally {
                p.close();
                LiveProcess.awaitGone(tracee, Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void zombieIsRefusedWithoutReadingItsResources() {
        try (LiveProcess p = Fixture.start("zombie")) {
            long z = Long.parseLong(p.stdout().lines().filter(l -> l.startsWith("ZOMBIE ")).findFirst()
                    .orElseThrow().substring(7));
            assertTrue(fs.process(z).isZombie());
            ProcessReport rep = new Analyzer(fs).analyze(z);
            assertEquals(1, rep.assessments().size(), rep.assessments().toString());
            assertTrue(rep.assessments().get(0).reason().startsWith("zombie"));
            p.close();
            LiveProcess.awaitGone(z, Duration.ofSeconds(10));
        }
    }

    @Test
    void memfdMappingsSharedAnonymousMemoryAndSmallDeletedFilesAreSupported() {
        try (LiveProcess p = Fixture.start("memfd", tmp.toString())) {
            Map<String, String> maps = lines(p, "MAP");
            Map<Long, Vma> byStart = new HashMap<>();
            fs.maps(p.pid()).forEach(v -> byStart.put(v.start(), v));
            Vma memfd = byStart.get(Long.parseUnsignedLong(maps.get("memfd"), 16));
            Vma shared = byStart.get(Long.parseUnsignedLong(maps.get("shared_anon"), 16));
            Vma deleted = byStart.get(Long.parseUnsignedLong(maps.get("deleted"), 16));
            assertEquals(VmaKind.MEMFD, memfd.kind());
            assertEquals(VmaKind.ANONYMOUS_SHARED, shared.kind());
            assertEquals(VmaKind.DELETED_FILE, deleted.kind());
            assertEquals(tmp.resolve("mapped-then-deleted").toString(), deleted.path());
            assertEquals(FdKind.MEMFD, fd(p.pid(), lines(p, "FD").get("memfd")).kind());

            ProcessReport rep = new Analyzer(fs).analyze(p.pid());
            assertEquals(Verdict.SUPPORTED, byResource(rep, "vma " + memfd.range()).verdict());
            assertEquals("mapping of memfd jcr-test (4 KiB rw-s)", byResource(rep, "vma " + memfd.range()).reason());
            Assessment sharedA = byResource(rep, "vma " + shared.range());
            assertEquals(Verdict.SUPPORTED, sharedA.verdict());
            assertEquals("shared anonymous memory (8 KiB rw-s)", sharedA.reason());
            Assessment deletedA = byResource(rep, "vma " + deleted.range());
            assertEquals(Verdict.SUPPORTED, deletedA.verdict(), deletedA.reason());
            assertEquals(4096, deleted.fileSize(), "the deleted file's size, read through map_files");
            assertTrue(deletedA.reason().endsWith("content saved (4 KiB)"), deletedA.reason());
            assertEquals(0, rep.blockers().size(), rep.blockers().toString());
        }
    }

    @Test
    void processInAnotherPidNamespaceIsRefused() {
        Path loop = Fixture.compile("loop");
        try (LiveProcess unshare = LiveProcess.startCommand(List.of("unshare", "--pid", "--fork", "--kill-child", loop.toString()),
                Duration.ofSeconds(20), "READY")) {
            ProcessTree tree = ProcessTree.scan(fs);
            List<ProcessInfo> kids = tree.children(unshare.pid());
            assertEquals(1, kids.size(), "unshare --fork has one child");
            ProcessReport rep = new Analyzer(fs).analyze(kids.get(0).pid());
            assertTrue(rep.blockers().stream().anyMatch(a -> a.reason().equals(
                    "in another PID namespace than jcr: not supported yet")), rep.blockers().toString());
            // the child sees itself as pid 1 of its namespace
            assertTrue(unshare.stdout().startsWith("READY 1\n"), unshare.stdout());
        }
    }

    @Test
    void processOnATerminalNeedsShellJob() {
        Path loop = Fixture.compile("loop");
        // script(1) gives the command a pty as controlling terminal, in a session of its own shell
        try (LiveProcess script = LiveProcess.startCommand(List.of("script", "-qfc", loop.toString(), "/dev/null"),
                Duration.ofSeconds(20), "READY")) {
            ProcessTree tree = ProcessTree.scan(fs);
            ProcessInfo target = tree.subtree(script.pid()).stream()
                    .filter(p -> p.comm().startsWith("loop-")).findFirst().orElseThrow();
            assertTrue(target.ttyName().startsWith("/dev/pts/"), target.ttyName());
            ProcessReport rep = new Analyzer(fs).analyze(target.pid());
            assertEquals(Verdict.NEEDS_OPTION, rep.verdict(), rep.blockers().toString());
            assertEquals(java.util.Set.of("--shell-job"), rep.options());
            assertTrue(rep.blockers().stream().anyMatch(a -> a.resource().equals("terminal")));
            assertTrue(rep.blockers().stream().anyMatch(a -> a.kind() == ResourceKind.PTY), "its pty fds, master outside");
        }
    }
}
