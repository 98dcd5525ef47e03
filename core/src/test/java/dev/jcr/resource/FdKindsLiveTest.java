package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.FdKind;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zoo fixture opens one fd of almost every kind and prints which number it got; each must be
 * recognised by name and get the verdict of the support table.
 */
class FdKindsLiveTest {

    private static LiveProcess zoo;
    private static Map<String, Integer> numbers;
    private static Map<Integer, OpenFd> fds;
    private static ProcessReport report;

    @BeforeAll
    static void start() {
        zoo = Fixture.start("zoo");
        numbers = new HashMap<>();
        for (String line : zoo.stdout().split("\n")) {
            if (line.startsWith("FD ")) {
                String[] f = line.split(" ");
                numbers.put(f[1], Integer.parseInt(f[2]));
            }
        }
        ProcFs fs = ProcFs.system();
        fds = fs.fds(zoo.pid()).stream().collect(Collectors.toMap(OpenFd::fd, Function.identity()));
        report = new Analyzer(fs).analyze(zoo.pid());
    }

    @AfterAll
    static void stop() {
        if (zoo != null) {
            zoo.close();
        }
    }

    private static OpenFd fd(String name) {
        Integer n = numbers.get(name);
        assertTrue(n != null, "fixture did not open " + name + ": " + zoo.stdout());
        return fds.get(n);
    }

    private static Assessment assessment(String name) {
        String label = "fd " + numbers.get(name);
        return report.assessments().stream().filter(a -> a.resource().equals(label)).findFirst().orElseThrow();
    }

    private static void expect(String name, FdKind kind, Verdict verdict) {
        assertEquals(kind, fd(name).kind(), name + " -> " + fd(name).link());
        assertEquals(verdict, assessment(name).verdict(), assessment(name).message());
    }

    @Test
    void everyKindIsRecognisedByNameAndJudgedByTheTable() {
        expect("eventfd", FdKind.EVENTFD, Verdict.SUPPORTED);
        expect("eventpoll", FdKind.EVENTPOLL, Verdict.SUPPORTED);
        expect("signalfd", FdKind.SIGNALFD, Verdict.SUPPORTED);
        expect("timerfd", FdKind.TIMERFD, Verdict.SUPPORTED);
        expect("inotify", FdKind.INOTIFY, Verdict.SUPPORTED);
        expect("fanotify", FdKind.FANOTIFY, Verdict.SUPPORTED);
        expect("pidfd", FdKind.PIDFD, Verdict.UNSUPPORTED);
        expect("memfd", FdKind.MEMFD, Verdict.SUPPORTED);
        expect("io_uring", FdKind.IO_URING, Verdict.UNSUPPORTED);
        expect("perf_event", FdKind.PERF_EVENT, Verdict.UNSUPPORTED);
        expect("userfaultfd", FdKind.USERFAULTFD, Verdict.UNSUPPORTED);
        expect("bpf_map", FdKind.BPF_MAP, Verdict.UNSUPPORTED);
        expect("netlink", FdKind.NETLINK, Verdict.SUPPORTED);
        expect("packet", FdKind.PACKET, Verdict.UNSUPPORTED);
        expect("udp", FdKind.UDP, Verdict.SUPPORTED);
        assertTrue(assessment("udp").reason().startsWith("UDP socket bound to 127.0.0.1:"), assessment("udp").reason());
        expect("udp6", FdKind.UDP, Verdict.SUPPORTED);
        expect("unix_seqpacket", FdKind.UNIX_SEQPACKET, Verdict.SUPPORTED);
        expect("unix_dgram", FdKind.UNIX_DGRAM, Verdict.SUPPORTED);
        expect("dev_null", FdKind.CHAR_DEVICE, Verdict.SUPPORTED);
        expect("dev_zero", FdKind.CHAR_DEVICE, Verdict.SUPPORTED);
        expect("dev_urandom", FdKind.CHAR_DEVICE, Verdict.SUPPORTED);
        expect("dev_full", FdKind.CHAR_DEVICE, Verdict.UNSUPPORTED);
        expect("ptmx", FdKind.PTY_MASTER, Verdict.SUPPORTED);
        expect("pts", FdKind.PTY_SLAVE, Verdict.NEEDS_OPTION);
        expect("directory", FdKind.DIRECTORY, Verdict.SUPPORTED);
        assertEquals("--shell-job", assessment("pts").option(), "alone, a slave needs its master or --shell-job");
        assertTrue(assessment("packet").reason().contains("packet sockets capture or inject link-level frames"),
                assessment("packet").reason());
    }

    @Test
    void detailsComeFromFdinfo() {
        assertEquals(new FdDetail.Eventfd(5, false), fd("eventfd").detail());
        assertEquals(List.of(numbers.get("eventfd")),
                ((FdDetail.Epoll) fd("eventpoll").detail()).targets().stream().map(FdDetail.EpollTarget::fd).toList());
        FdDetail.EpollTarget watch = ((FdDetail.Epoll) fd("eventpoll").detail()).targets().get(0);
        assertEquals(fd("eventfd").inode(), watch.inode(), "the watched file's inode (fdinfo ino:)");
        assertTrue(watch.open(), "its fd number still names it");
        List<FdDetail.InotifyWatch> watches = ((FdDetail.Inotify) fd("inotify").detail()).watches();
        assertEquals(2, watches.size());
        assertEquals(java.util.Set.of("/", "/tmp"),
                java.util.Set.of(watches.get(0).path(), watches.get(1).path()));
        assertEquals(zoo.pid(), ((FdDetail.Pidfd) fd("pidfd").detail()).pid());
        assertEquals(5_000_000_000L, ((FdDetail.Timerfd) fd("timerfd").detail()).intervalNanos());
        assertTrue(((FdDetail.Socket) fd("udp").detail()).socket().local().startsWith("127.0.0.1:"));
        assertTrue(((FdDetail.Socket) fd("udp6").detail()).socket().local().startsWith("[::1]:"));
        assertEquals("/dev/pts/", ((FdDetail.Device) fd("pts").detail()).name().substring(0, 9));
    }

    @Test
    void reasonsNameWhatTheFdIs() {
        // zoo watches /tmp and /; the kernel lists the watches newest first, which no one promises
        assertTrue(java.util.Set.of("inotify watching /, /tmp (2 watches)",
                "inotify watching /tmp, / (2 watches)").contains(assessment("inotify").reason()),
                assessment("inotify").reason());
        assertTrue(assessment("signalfd").reason().contains("SIGHUP, SIGUSR2"), assessment("signalfd").reason());
        assertTrue(assessment("timerfd").reason().contains("CLOCK_MONOTONIC (every 5 s)"));
        assertTrue(assessment("dev_full").message().endsWith("character device /dev/full (1:7): not supported yet"),
                assessment("dev_full").message());
        assertTrue(assessment("memfd").reason().startsWith("memfd zoo-memfd (0 B)"), assessment("memfd").reason());
    }

    @Test
    void anonymousInodesWhoseStateTheKernelKeepsAreRefusedSayingWhy() {
        assertEquals("pidfd of process " + zoo.pid() + ": not supported: a restore would have to make it name the"
                + " restored process, and jcr recreates no pidfds", assessment("pidfd").reason());
        assertTrue(assessment("io_uring").message().matches("fd \\d+: io_uring: not supported: its rings, .*"),
                assessment("io_uring").message());
        for (String k : List.of("userfaultfd", "perf_event", "bpf_map")) {
            assertTrue(assessment(k).reason().contains(": not supported: ") && !assessment(k).reason().contains("yet"),
                    assessment(k).reason());
        }
    }

    @Test
    void allBlockersAreCollectedNotJustTheFirst() {
        assertEquals(Verdict.UNSUPPORTED, report.verdict());
        long unsupportedFds = report.blockers().stream()
                .filter(a -> a.resource().startsWith("fd ") && a.verdict() == Verdict.UNSUPPORTED).count();
        // the zoo's UDP sockets are checkpointable now: not among them
        long expected = java.util.stream.Stream.of("pidfd", "io_uring", "perf_event",
                "userfaultfd", "bpf_map", "packet", "dev_full").filter(numbers::containsKey).count();
        assertEquals(expected, unsupportedFds, "expected every unsupported fd in the report: " + report.blockers());
    }
}
