package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.UnsupportedTreeException;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.Options;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix sockets beyond what the sweep proves (every unix fixture there dumps and restores): CRIU's crit
 * decodes the images jcr writes; a dump peeks the queues without taking anything; a peer outside the
 * tree is refused naming it and its holder, or reconnected with --ext-unix-sk; a corrupt entry is a bad
 * image before anything exists; a restore that fails takes back the socket files it bound.
 */
@Timeout(120)
class UnixSocketRestoreTest {

    @TempDir
    Path tmp;

    @Test
    void critDecodesTheSocketsAndTheirQueuesAndTheProcessKeepsItsData() throws IOException {
        Crit.assumeAvailable();
        try (LiveProcess p = Fixture.start("unix_queues")) {
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
            String files = Crit.decode(dir.resolve("files.img"));
            assertEquals(10, count(files, "\"usk\""), "five socketpairs: " + files);
            assertTrue(files.contains("\"type\": 5") && files.contains("\"type\": 2"), "seqpacket and dgram: " + files);
            assertTrue(files.contains("\"shutdown\": \"WRITE\""), "the shut down end: " + files);
            assertTrue(files.contains("\"so_passcred\": true"), files);
            String queues = Crit.decode(dir.resolve("sk-queues.img"));
            for (int len : new int[] {11, 4, 3, 0, 6, 5, 10}) {
                assertTrue(queues.contains("\"length\": " + len), len + " in " + queues);
            }
            assertTrue(queues.contains("\"extra\": \"aGVsbG8gd29ybGQ="), "the bytes follow the entry: " + queues);
            p.signalUntil("USR1", "PASS unix_queues"); // left running: every byte still there
        }
    }

    @Test
    void aStreamPeerOutsideTheTreeIsRefusedNamingItAndItsHolder() {
        try (LiveProcess server = Fixture.start("unix_server", tmp.toString());
                LiveProcess client = Fixture.start("unix_client", tmp.toString(), "stream")) {
            for (Set<String> options : List.of(Set.<String>of(), Set.of(Options.EXT_UNIX_SK))) {
                TreeReport r = TreeCheck.system().check(client.pid(), options);
                assertFalse(r.checkpointable());
                String m = String.join("\n", r.messages());
                assertTrue(m.contains("connected to " + tmp.resolve("srv.sock") + " held by pid " + server.pid()
                        + " (unix_server-"), m);
                assertTrue(m.contains("outside the tree"), m);
            }
            UnsupportedTreeException e = assertThrows(UnsupportedTreeException.class, () -> new DumpEngine()
                    .dump((int) client.pid(), DumpOptions.to(tmp.resolve("img")), DumpListener.NONE));
            assertTrue(e.getMessage().contains("held by pid " + server.pid()), e.getMessage());
            assertTrue(client.isAlive());
        }
    }

    @Test
    void aDatagramPeerOutsideIsReconnectedByNameWithExtUnixSk() throws Exception {
        Crit.assumeAvailable();
        try (LiveProcess server = Fixture.start("unix_server", tmp.toString());
                LiveProcess client = Fixture.start("unix_client", tmp.toString(), "dgram")) {
            server.awaitOutput("GOT before dump", Duration.ofSeconds(10));
            TreeReport without = TreeCheck.system().check(client.pid(), Set.of());
            assertEquals(Set.of(Options.EXT_UNIX_SK), without.options());
            assertTrue(without.blockers().stream().allMatch(b -> b.assessment().verdict() == Verdict.NEEDS_OPTION),
                    without.messages().toString());
            Path dir = tmp.resolve("img");
            new DumpEngine().dump((int) client.pid(), DumpOptions.to(dir).withKill(true).with(Options.EXT_UNIX_SK, true),
                    DumpListener.NONE);
            String files = Crit.decode(dir.resolve("files.img"));
            assertTrue(files.contains("\"uflags\": 1"), "CRIU's USK_EXTERN entry: " + files);
            LiveProcess.awaitGone(client.pid(), Duration.ofSeconds(30));
            new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            client.signalUntil("USR1", "PASS unix_client");
            server.awaitOutput("GOT after restore", Duration.ofSeconds(10));
        }
    }

    @Test
    void aPeerMissingFromTheImagesIsABadImageNamingTheField() throws IOException {
        Path dir = tmp.resolve("img");
        try (LiveProcess p = Fixture.start("unix_queues")) {
            new DumpEngine().dump((int) p.pid(), DumpOptions.to(dir), DumpListener.NONE);
        }
        List<com.google.protobuf.Message> files = new ArrayList<>();
        ImageDir.open(dir).read(ImageKind.FILES, null).forEach(e -> files.add(e.message()));
        try (OutputStream out = Files.newOutputStream(dir.resolve("files.img"));
                ImageWriter w = ImageWriter.start(ImageKind.FILES, "files.img", out)) {
            boolean broke = false;
            for (com.google.protobuf.Message m : files) {
                FileEntry f = (FileEntry) m;
                if (!broke && f.getType() == FdTypes.UNIXSK) {
                    f = f.toBuilder().setUsk(f.getUsk().toBuilder().setPeer(999_999_999)).build();
                    broke = true;
                }
                w.write(f);
            }
        }
        BadImageException e = assertThrows(BadImageException.class, () -> RestoreEngine.plan(dir));
        assertTrue(e.getMessage().contains("usk.peer 999999999"), e.getMessage());
    }

    @Test
    void aRestoreThatFailsTakesBackTheSocketFilesItBound() throws IOException {
        Path dir = tmp.resolve("img");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("listen.sock");
        long pid;
        try (LiveProcess p = Fixture.start("unix_listen", work.toString())) {
            pid = p.pid();
            new DumpEngine().dump((int) pid, DumpOptions.to(dir).withKill(true), DumpListener.NONE);
            LiveProcess.awaitGone(pid, Duration.ofSeconds(30));
        }
        assertTrue(Files.exists(file), "the killed process left its socket file");
        // the fixture's datagram server name, taken meanwhile: the restore binds the listener's file, then fails
        int squatter = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_DGRAM, 0);
        try {
            byte[] name = ("\0jcr-unix-listen-" + pid).getBytes(StandardCharsets.UTF_8);
            Sockets.bind(squatter, Sockets.unixAddress(name));
            JcrException e = assertThrows(JcrException.class, () -> new RestoreEngine(null).restore(
                    RestoreOptions.of(dir).detached()));
            assertEquals(JcrException.Kind.CONFLICT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("@jcr-unix-listen-" + pid + " is in use"), e.getMessage());
            assertFalse(Files.exists(file), "no socket file left behind");
            assertFalse(Files.exists(Path.of("/proc/" + pid)), "no process left behind");
        } finally {
            Linux.close(squatter);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
