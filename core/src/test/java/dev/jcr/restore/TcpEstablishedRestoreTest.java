package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.TcpStreamEntry;
import dev.jcr.JcrException;
import dev.jcr.dump.UnsupportedTreeException;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.Options;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.Need;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Established TCP connections through TCP repair: a client/server pair of one tree streaming both ways
 * (tcp_flow: every byte checked against its position's pattern) dumped with --kill mid-flight and
 * restored without a byte lost or repeated; the same pair dumped and left running keeps streaming.
 */
@Timeout(180)
class TcpEstablishedRestoreTest {

    @TempDir
    Path tmp;

    private static List<TcpStreamEntry> streams(Path dir) {
        return ImageDir.open(dir).files().stream().filter(f -> f.getFileName().toString().startsWith("tcp-stream-"))
                .map(f -> ImageDir.open(dir).readAll(ImageKind.TCP_STREAM, f.getFileName().toString()
                        .replaceAll("tcp-stream-(.*)\\.img", "$1"), TcpStreamEntry.class).get(0)).toList();
    }

    @Test
    void aPairStreamingBothWaysIsRestoredMidFlightWithoutAByteLostOrRepeated() {
        try (LiveProcess p = Fixture.start("tcp_flow")) {
            Path dir = tmp.resolve("img");
            InetRestoreTest.dumpAndKill(p, dir);
            List<InetSkEntry> socks = InetRestoreTest.inet(dir);
            assertEquals(2, socks.stream().filter(s -> s.getState() == 1).count(), "two established ends: " + socks);
            List<TcpStreamEntry> streams = streams(dir);
            assertEquals(2, streams.size());
            TcpStreamEntry a = streams.get(0);
            TcpStreamEntry b = streams.get(1);
            assertTrue(a.getOutqLen() + b.getInqLen() > 0 && b.getOutqLen() + a.getInqLen() > 0,
                    "data in flight both ways (in a send queue or the peer's receive queue): " + streams);
            assertTrue(streams.stream().anyMatch(TcpStreamEntry::getNodelay), "the server's TCP_NODELAY");
            assertTrue(streams.stream().allMatch(t -> t.getMssClamp() > 0 && t.hasSndWnd() && t.hasRcvWnd()));

            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            String json = Crit.run("decode", "-i", dir.resolve("tcp-stream-" + Long.toHexString(
                    Integer.toUnsignedLong(socks.get(0).getIno())) + ".img").toString(), "--pretty");
            assertTrue(json.contains("\"inq_seq\"") && json.contains("\"extra\""), json);

            String after = InetRestoreTest.restoreAndPass(p, dir);
            assertTrue(after.matches("(?s)PASS \\d+ \\d+\\s*"), after);
        }
    }

    @Test
    void aPairDumpedAndLeftRunningKeepsStreaming() {
        try (LiveProcess p = Fixture.start("tcp_flow")) {
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(tmp.resolve("img")), DumpListener.NONE);
            assertEquals(2, streams(tmp.resolve("img")).size());
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(30));
            assertFalse(out.contains("FAIL"), out);
        }
    }

    // ------------------------------------------------------------------ a peer outside the tree

    private static int port(LiveProcess p) {
        return Integer.parseInt(p.stdout().lines().filter(l -> l.startsWith("PORT ")).findFirst().orElseThrow()
                .substring(5));
    }

    /** A client of the echo fixture, in this JVM: outside the dumped tree. */
    private static Socket client(int port) throws IOException {
        Socket c = new Socket();
        c.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        c.setSoTimeout(20_000);
        return c;
    }

    private static String echo(Socket c, String text) throws IOException {
        c.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] b = new byte[text.length()];
        InputStream in = c.getInputStream();
        int got = 0;
        while (got < b.length) {
            int n = in.read(b, got, b.length - got);
            if (n < 0) {
                throw new IOException("end of stream after " + got + " bytes");
            }
            got += n;
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** The elements of jcr's lock set for IPv4 (empty when nft or the table is missing). */
    private static String lockedConnections() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "set", "inet", "jcr", "conn4").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Test
    void aConnectionWhosePeerIsOutsideTheTreeNeedsTcpEstablishedAndTheCheckNamesThePeer() throws IOException {
        try (LiveProcess p = Fixture.start("tcp_echo"); Socket c = client(port(p))) {
            assertEquals("a", echo(c, "a"));
            String peer = "127.0.0.1:" + c.getLocalPort();
            TreeReport plain = TreeCheck.system().check(p.pid(), Set.of());
            assertFalse(plain.checkpointable());
            assertTrue(plain.messages().stream().anyMatch(m -> m.contains("the peer " + peer + " is outside the tree")
                    && m.contains(Options.TCP_ESTABLISHED)), plain.messages().toString());
            assertTrue(plain.onlyOptionsMissing(), "only an option is missing");
            assertTrue(TreeCheck.system().check(p.pid(), Set.of(Options.TCP_ESTABLISHED)).checkpointable());
            assertTrue(TreeCheck.system().check(p.pid(), Set.of(Options.TCP_CLOSE)).checkpointable());
            UnsupportedTreeException e = assertThrows(UnsupportedTreeException.class, () -> new DumpEngine()
                    .dump((int) p.pid(), new DumpOptions(tmp.resolve("img"), true, false), DumpListener.NONE));
            assertTrue(e.getMessage().contains(peer), e.getMessage());
            assertEquals("b", echo(c, "b"), "a refused dump leaves the connection alone");
        }
    }

    @Test
    void withTcpEstablishedAClientOutsideTheTreeKeepsItsConnectionThroughDumpKillAndRestore() throws Exception {
        try (LiveProcess p = Fixture.start("tcp_echo"); Socket c = client(port(p))) {
            assertEquals("before", echo(c, "before"));
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false).with(Options.TCP_ESTABLISHED, true),
                    DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
            assertTrue(lockedConnections().contains(". " + c.getLocalPort() + " "),
                    "the connection stays locked until it is restored: " + lockedConnections());
            new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            assertFalse(lockedConnections().contains(". " + c.getLocalPort() + " "), "the restore lifted the lock");
            assertEquals("after the restore", echo(c, "after the restore"), "the same connection, still working");
            try (Socket fresh = client(port(p))) {
                assertEquals("new", echo(fresh, "new"), "the listener accepts new clients");
            }
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            assertTrue(out.contains("lost 0"), out);
        }
    }

    @Test
    void restoreWithTcpCloseBringsAConnectionBackClosedAndLiftsItsLock() throws Exception {
        try (LiveProcess p = Fixture.start("tcp_echo"); Socket c = client(port(p))) {
            assertEquals("x", echo(c, "x"));
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false).with(Options.TCP_ESTABLISHED, true),
                    DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
            new RestoreEngine(null).restore(RestoreOptions.of(dir).detached().with(Options.TCP_CLOSE, true));
            assertFalse(lockedConnections().contains(". " + c.getLocalPort() + " "), "the lock is lifted");
            // the server finds a dead socket and drops it; the client's next bytes meet a reset
            assertThrows(IOException.class, () -> echo(c, "y"));
            try (Socket fresh = client(port(p))) {
                assertEquals("new", echo(fresh, "new"));
            }
            p.signal("USR1");
            String out = p.awaitOutput("PASS", Duration.ofSeconds(20));
            assertTrue(out.contains("lost 1"), "the restored connection was closed: " + out);
        }
    }

    /** The standard drivers, eventfd's replaced by one whose dump fails: a failure after TCP locked its connections. */
    private static DriverTable failingAfterTcp() {
        List<ResourceDriver<?>> list = new ArrayList<>();
        for (ResourceKind k : ResourceKind.values()) {
            DriverTable.standard().get(k, k.resourceType()).ifPresent(d -> list.add(k == ResourceKind.EVENTFD
                    ? new FailingEventfd((FileDriver) d) : d));
        }
        return new DriverTable(list);
    }

    private record FailingEventfd(FileDriver real) implements FileDriver {
        @Override
        public ResourceKind kind() {
            return real.kind();
        }

        @Override
        public dev.jcr.resource.Support support() {
            return real.support();
        }

        @Override
        public dev.jcr.resource.Assessment assess(OpenFd fd) {
            return real.assess(fd);
        }

        @Override
        public FdTypes fileType() {
            return real.fileType();
        }

        @Override
        public void dump(OpenFd fd, DumpContext ctx) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "failing on purpose, after the TCP sockets");
        }

        @Override
        public int restore(dev.jcr.image.proto.FileEntry file, dev.jcr.resource.RestoreContext ctx) {
            return real.restore(file, ctx);
        }
    }

    @Test
    void aDumpThatFailsAfterLockingLiftsTheLockAndTheConnectionGoesOn() throws Exception {
        try (LiveProcess p = Fixture.start("tcp_echo"); Socket c = client(port(p))) {
            assertEquals("1", echo(c, "1"));
            Path dir = tmp.resolve("img");
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine(ProcFs.system(), failingAfterTcp())
                    .dump((int) p.pid(), DumpOptions.to(dir).with(Options.TCP_ESTABLISHED, true), DumpListener.NONE));
            assertTrue(e.getMessage().contains("failing on purpose"), e.getMessage());
            assertFalse(Files.exists(dir));
            assertFalse(lockedConnections().contains(". " + c.getLocalPort() + " "), "no lock left behind");
            assertEquals("2", echo(c, "2"), "the connection works on");
        }
    }
}
