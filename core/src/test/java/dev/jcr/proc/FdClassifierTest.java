package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FdClassifierTest {

    private static final SocketTable SOCKETS = new SocketTable(1, Map.of(
            7L, new SocketInfo(7, FdKind.UNIX_DGRAM, "unix", "unconnected", "", ""),
            8L, new SocketInfo(8, FdKind.TCP, "inet", "listening", "0.0.0.0:22", "")));

    @Test
    void pseudoLinksAreRecognisedByName() {
        Map<String, FdKind> cases = Map.ofEntries(
                Map.entry("pipe:[5]", FdKind.PIPE),
                Map.entry("socket:[7]", FdKind.UNIX_DGRAM),
                Map.entry("socket:[8]", FdKind.TCP),
                Map.entry("socket:[9]", FdKind.OTHER_SOCKET),
                Map.entry("anon_inode:[eventfd]", FdKind.EVENTFD),
                Map.entry("anon_inode:[eventpoll]", FdKind.EVENTPOLL),
                Map.entry("anon_inode:inotify", FdKind.INOTIFY),
                Map.entry("anon_inode:[fanotify]", FdKind.FANOTIFY),
                Map.entry("anon_inode:[signalfd]", FdKind.SIGNALFD),
                Map.entry("anon_inode:[timerfd]", FdKind.TIMERFD),
                Map.entry("anon_inode:[pidfd]", FdKind.PIDFD),
                Map.entry("pidfd:[1234]", FdKind.PIDFD),
                Map.entry("anon_inode:[io_uring]", FdKind.IO_URING),
                Map.entry("anon_inode:[perf_event]", FdKind.PERF_EVENT),
                Map.entry("anon_inode:[userfaultfd]", FdKind.USERFAULTFD),
                Map.entry("anon_inode:bpf-map", FdKind.BPF_MAP),
                Map.entry("anon_inode:bpf-prog", FdKind.BPF_PROG),
                Map.entry("anon_inode:bpf_link", FdKind.BPF_LINK),
                Map.entry("anon_inode:[dmabuf]", FdKind.OTHER_ANON_INODE),
                Map.entry("net:[4026531833]", FdKind.UNKNOWN));
        cases.forEach((link, kind) -> assertEquals(kind, FdClassifier.classifyPseudo(link, SOCKETS), link));
    }

    private static long dev(int major, int minor) {
        return ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12);
    }

    @Test
    void pathsAreClassifiedByFileTypeAndDeviceNumber() {
        PathLink p = new PathLink("/x", false);
        assertEquals(FdKind.REGULAR, FdClassifier.classifyPath(p, 0100644, 0));
        assertEquals(FdKind.DELETED_FILE, FdClassifier.classifyPath(new PathLink("/x", true), 0100644, 0));
        assertEquals(FdKind.MEMFD, FdClassifier.classifyPath(new PathLink("/memfd:buf", true), 0100777, 0));
        assertEquals(FdKind.DIRECTORY, FdClassifier.classifyPath(p, 0040755, 0));
        assertEquals(FdKind.FIFO, FdClassifier.classifyPath(p, 0010600, 0));
        assertEquals(FdKind.BLOCK_DEVICE, FdClassifier.classifyPath(p, 0060660, dev(8, 0)));
        assertEquals(FdKind.CHAR_DEVICE, FdClassifier.classifyPath(p, 0020666, dev(1, 3)));
        assertEquals(FdKind.PTY_SLAVE, FdClassifier.classifyPath(p, 0020620, dev(136, 4)));
        assertEquals(FdKind.PTY_SLAVE, FdClassifier.classifyPath(p, 0020620, dev(137, 300)));
        assertEquals(FdKind.PTY_MASTER, FdClassifier.classifyPath(p, 0020666, dev(5, 2)));
        assertEquals(FdKind.TTY, FdClassifier.classifyPath(p, 0020620, dev(4, 1)));
        assertEquals(FdKind.TTY, FdClassifier.classifyPath(p, 0020666, dev(5, 0)));
        assertEquals(FdKind.TTY, FdClassifier.classifyPath(p, 0020600, dev(5, 1)));
    }

    @Test
    void deviceNumbersAndNames() {
        assertEquals(137, Devices.major(dev(137, 300)));
        assertEquals(300, Devices.minor(dev(137, 300)));
        assertEquals("/dev/pts/300", Devices.charDeviceName(137, 44));
        assertEquals("/dev/ttyS0", Devices.charDeviceName(4, 64));
        assertEquals("/dev/urandom", Devices.charDeviceName(1, 9));
        assertEquals("/dev/pts/3", Devices.ttyName(0x8803));
        assertEquals(null, Devices.ttyName(0));
    }
}
