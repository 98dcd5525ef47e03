package dev.jcr.pageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page server: a dump streamed to it is a directory like a local one (crit reads it, restore brings
 * the process back); what is not a jcr stream, or lacks the token, is refused before anything is
 * written; a connection that drops fails the dump cleanly, the target runs on and no directory that
 * looks complete is left on either side.
 */
@Timeout(120)
class PageServerTest {

    @TempDir
    Path tmp;

    /** A server on a free port, serving in the background; LOG collects its lines. */
    private record Served(PageServer server, CompletableFuture<Integer> sessions, StringWriter log) {
        String at() {
            return "127.0.0.1:" + server.port();
        }
    }

    private Served serve(Path root, String token) {
        StringWriter log = new StringWriter();
        PageServer s = new PageServer(0, root, token, false, new PrintWriter(log, true));
        return new Served(s, CompletableFuture.supplyAsync(s::serve), log);
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aDumpStreamedToThePageServerIsADirectoryLikeALocalOneAndRestores() throws Exception {
        Crit.assumeAvailable();
        Path root = Files.createDirectory(tmp.resolve("recv"));
        Served s = serve(root, "s3cret");
        try (LiveProcess p = Fixture.start("memhog", "16", "10")) {
            try (PageServerClient c = PageServerClient.connect(s.at(), "s3cret")) {
                new DumpEngine().dump((int) p.pid(), DumpOptions.to(Path.of("img")).withSink(c).withKill(true),
                        DumpListener.NONE);
            }
            assertEquals(1, s.sessions().get(30, TimeUnit.SECONDS));
            Path img = root.resolve("img");
            assertEquals(List.of(img), entries(root), "one complete directory, no temporaries");
            assertTrue(Files.size(img.resolve("pages-1.img")) >= 16L << 20);
            Crit.decode(img.resolve("pagemap-" + p.pid() + ".img"));
            Crit.decode(img.resolve("core-" + p.pid() + ".img"));
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
            new RestoreEngine(null).restore(RestoreOptions.of(img).detached());
            p.signal("USR1");
            assertFalse(p.awaitOutput("PASS memhog", Duration.ofSeconds(30)).contains("FAIL"));
        } finally {
            s.server().close();
        }
    }

    @Test
    void whatIsNotAJcrStreamOrLacksTheTokenIsRefusedAndNothingIsWritten() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("recv"));
        Served s = serve(root, "s3cret");
        try {
            String http = exchange(s.server().port(), "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(http.contains("not a jcr page stream"), http);
            JcrException e = assertThrows(JcrException.class, () -> PageServerClient.connect(s.at(), "wrong"));
            assertEquals(JcrException.Kind.PERMISSION, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("wrong or missing token"), e.getMessage());
            assertEquals(List.of(), entries(root));
            assertTrue(s.log().toString().contains("refused"), s.log().toString());
            // the server still waits for a real session
            try (PageServerClient c = PageServerClient.connect(s.at(), "s3cret")) {
                assertTrue(c.describe().contains(s.at()));
            }
            assertEquals(0, s.sessions().get(30, TimeUnit.SECONDS));
        } finally {
            s.server().close();
        }
    }

    /** Sends BYTES to the server and returns what it answers before closing. */
    private static String exchange(int port, byte[] bytes) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(30_000);
            sock.getOutputStream().write(bytes);
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aConnectionDroppedMidDumpFailsItCleanlyAndTheTargetRunsOn() throws Exception {
        // a "server" that says hello back, takes a little of the stream and hangs up
        try (ServerSocket fake = new ServerSocket(0); LiveProcess p = Fixture.start("memhog", "32", "10")) {
            CompletableFuture<Void> drop = CompletableFuture.runAsync(() -> {
                try (Socket sock = fake.accept()) {
                    InputStream in = sock.getInputStream();
                    OutputStream out = sock.getOutputStream();
                    in.readNBytes(8 + 4 + 2);
                    out.write(0); // OK
                    in.readNBytes(1 << 20);
                } catch (IOException ignored) {
                    // gone either way
                }
            });
            PageServerClient c = PageServerClient.connect("127.0.0.1:" + fake.getLocalPort(), null);
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine().dump((int) p.pid(),
                    DumpOptions.to(Path.of("img")).withSink(c), DumpListener.NONE));
            c.drop();
            drop.get(30, TimeUnit.SECONDS);
            assertEquals(JcrException.Kind.IO, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("connection lost"), e.getMessage());
            assertTrue(Files.readString(Path.of("/proc/" + p.pid() + "/status")).contains("TracerPid:\t0"));
            p.signal("USR1");
            assertFalse(p.awaitOutput("PASS memhog", Duration.ofSeconds(30)).contains("FAIL"));
        }
    }

    @Test
    void aSessionThatDropsLeavesNoDirectoryOnTheServerWhichServesOn() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("recv"));
        Served s = serve(root, null);
        try (LiveProcess p = Fixture.start("memhog", "8", "10")) {
            PageServerClient c = PageServerClient.connect(s.at(), null);
            // a pre-dump's pages arrive, then the sender vanishes before the commit
            c.begin("half");
            var out = c.pages("pages-1.img");
            java.nio.ByteBuffer page = java.nio.ByteBuffer.allocateDirect(4096);
            out.write(dev.jcr.sys.Linux.addressOf(page), 4096, 0);
            c.drop();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!s.log().toString().contains("dropped half") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(s.log().toString().contains("dropped half: the connection dropped"), s.log().toString());
            assertEquals(List.of(), entries(root), "no directory, no temporary");
            try (PageServerClient again = PageServerClient.connect(s.at(), null)) {
                new DumpEngine().dump((int) p.pid(), DumpOptions.to(Path.of("whole")).withPreDump(true).withSink(again),
                        DumpListener.NONE);
            }
            assertEquals(1, s.sessions().get(30, TimeUnit.SECONDS));
            assertEquals(List.of(root.resolve("whole")), entries(root));
        } finally {
            s.server().close();
        }
    }
}
