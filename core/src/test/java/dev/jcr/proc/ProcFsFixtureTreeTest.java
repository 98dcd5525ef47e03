package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers of ProcFs, pointed at a /proc-shaped tree of fixture text. */
class ProcFsFixtureTreeTest {

    @TempDir
    Path tmp;

    @Test
    void processIsReadFromStatStatusCmdlineAndNs() {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(100, 1, "my (odd) name");
        ProcessInfo info = new ProcFs(p.root).process(100);
        assertEquals("my (odd) name", info.comm());
        assertEquals(1, info.ppid());
        assertEquals(ProcessState.SLEEPING, info.state());
        assertEquals(List.of("/bin/my (odd) name", "--flag"), info.cmdline());
        assertEquals(1756 * 1024, info.rssBytes());
        assertEquals(4026531836L, info.namespaces().inode(NamespaceType.PID));
        assertEquals(-1, info.namespaces().inode(NamespaceType.USER), "types without a link are unknown");
    }

    @Test
    void treeSortsChildrenByPidAndFindsRoots() {
        FakeProc p = new FakeProc(tmp.resolve("proc"))
                .process(1, 0, "init").process(30, 1, "c").process(7, 1, "a").process(12, 1, "b")
                .process(40, 12, "grandchild").process(2, 0, "kthreadd");
        ProcessTree t = ProcessTree.scan(new ProcFs(p.root));
        assertEquals(List.of(7L, 12L, 30L), t.children(1).stream().map(ProcessInfo::pid).toList());
        assertEquals(List.of(1L, 2L), t.roots().stream().map(ProcessInfo::pid).toList());
        assertEquals(List.of(12L, 40L), t.subtree(12).stream().map(ProcessInfo::pid).toList());
        assertEquals(6, t.all().size());
        assertTrue(t.get(99).isEmpty());
    }

    @Test
    void missingProcessIsProcessGoneNotEmptyText() {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(1, 0, "init");
        ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> new ProcFs(p.root).process(4242));
        assertEquals(4242, e.pid());
        assertEquals(dev.jcr.JcrException.Kind.NO_SUCH_PROCESS, e.kind());
        assertEquals("no such process: 4242", e.getMessage());
        assertTrue(e.path().endsWith("4242/stat"), e.path());
    }

    @Test
    void fdsAreClassifiedFromLinkTextStatAndNetTables() throws Exception {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(100, 1, "x");
        Path d = p.root.resolve("100");
        Path file = Files.writeString(tmp.resolve("data.txt"), "hello");
        FakeProc.link(d.resolve("fd/3"), file.toString());
        FakeProc.write(d.resolve("fdinfo/3"), "pos:\t2\nflags:\t0100002\nmnt_id:\t27\nino:\t9\n");
        FakeProc.link(d.resolve("fd/4"), "socket:[1199]");
        FakeProc.write(d.resolve("fdinfo/4"), "pos:\t0\nflags:\t02\nmnt_id:\t10\nino:\t1199\n");
        FakeProc.link(d.resolve("fd/10"), "anon_inode:[eventfd]");
        FakeProc.write(d.resolve("fdinfo/10"), "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\neventfd-count: 7\n");
        FakeProc.link(d.resolve("fd/5"), "pipe:[555]");
        FakeProc.write(d.resolve("fdinfo/5"), "pos:\t0\nflags:\t01\nmnt_id:\t16\nino:\t555\n");
        FakeProc.write(d.resolve("net/tcp"), "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1199 1 0 100 0 0 10 0\n");
        List<OpenFd> fds = new ProcFs(p.root).fds(100);
        assertEquals(List.of(3, 4, 5, 10), fds.stream().map(OpenFd::fd).toList());
        assertEquals(FdKind.REGULAR, fds.get(0).kind());
        assertEquals(new FdDetail.File(new PathLink(file.toString(), false), 5), fds.get(0).detail());
        assertEquals("rw", fds.get(0).accessMode());
        assertEquals(2, fds.get(0).position());
        assertEquals(FdKind.TCP, fds.get(1).kind());
        assertEquals("listening", ((FdDetail.Socket) fds.get(1).detail()).socket().state());
        assertEquals(new FdDetail.Pipe(555), fds.get(2).detail());
        assertEquals("w", fds.get(2).accessMode());
        assertEquals(new FdDetail.Eventfd(7, false), fds.get(3).detail());
    }

    @Test
    void inotifyWatchIsNamedWhenItsInodeIsADirectoryOfAnOpenFile() throws Exception {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(100, 1, "x");
        Path d = p.root.resolve("100");
        Path watched = Files.createDirectories(tmp.resolve("watched dir"));
        Path file = Files.writeString(watched.resolve("f"), "x");
        FakeProc.link(d.resolve("fd/3"), file.toString());
        FakeProc.write(d.resolve("fdinfo/3"), "pos:\t0\nflags:\t0100000\nmnt_id:\t27\nino:\t9\n");
        long ino = (Long) Files.getAttribute(watched, "unix:ino");
        long dev = (Long) Files.getAttribute(watched, "unix:dev");
        long sdev = ((long) Devices.major(dev) << 20) | Devices.minor(dev);
        FakeProc.link(d.resolve("fd/4"), "anon_inode:inotify");
        FakeProc.write(d.resolve("fdinfo/4"), "pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n"
                + "inotify wd:1 ino:" + Long.toHexString(ino) + " sdev:" + Long.toHexString(sdev) + " mask:100 ignored_mask:0\n"
                + "inotify wd:2 ino:fffffff sdev:" + Long.toHexString(sdev) + " mask:100 ignored_mask:0\n");
        FdDetail.Inotify in = (FdDetail.Inotify) new ProcFs(p.root).fds(100).get(1).detail();
        assertEquals(watched.toString(), in.watches().get(0).path());
        assertEquals(null, in.watches().get(1).path(), "an inode found nowhere stays unnamed");
    }

    @Test
    void malformedFdinfoNamesItsPath() {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(100, 1, "x");
        Path d = p.root.resolve("100");
        FakeProc.link(d.resolve("fd/3"), "pipe:[1]");
        FakeProc.write(d.resolve("fdinfo/3"), "pos:\tzero\nflags:\t0\n");
        ProcParseException e = assertThrows(ProcParseException.class, () -> new ProcFs(p.root).fds(100));
        assertTrue(e.getMessage().contains("100/fdinfo/3 line 1"), e.getMessage());
    }

    @Test
    void selfLinkGivesOwnPid() {
        FakeProc p = new FakeProc(tmp.resolve("proc")).process(100, 1, "x").self(100);
        assertEquals(100, new ProcFs(p.root).selfPid());
    }
}
