package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP listeners and UDP sockets through a real dump (--kill), CRIU's crit on the images and a restore
 * after which the fixture checks its sockets itself (bound where they were, options, traffic).
 */
@Timeout(120)
class InetRestoreTest {

    @TempDir
    Path tmp;

    static void dumpAndKill(LiveProcess p, Path dir) {
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
    }

    static List<InetSkEntry> inet(Path dir) {
        return ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class).stream()
                .filter(f -> f.getType() == FdTypes.INETSK).map(FileEntry::getIsk).toList();
    }

    static String restoreAndPass(LiveProcess p, Path dir) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        int before = p.stdout().length();
        p.signal("USR1");
        p.awaitOutput("PASS", Duration.ofSeconds(20));
        String after = p.stdout().substring(before);
        assertFalse(after.contains("FAIL"), after);
        return after;
    }

    private static int port(LiveProcess p, String name) {
        return Integer.parseInt(p.stdout().lines().filter(l -> l.startsWith("PORT " + name + " ")).findFirst()
                .orElseThrow().substring(6 + name.length()));
    }

    @Test
    void tcpListenersComeBackBoundAndListeningWithTheirBacklogAndOptions() {
        try (LiveProcess p = Fixture.start("inet_listen")) {
            int v4 = port(p, "v4");
            int v6 = port(p, "v6");
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            List<InetSkEntry> socks = inet(dir);
            assertEquals(3, socks.size(), socks.toString());
            InetSkEntry l4 = socks.stream().filter(s -> s.getSrcPort() == v4).findFirst().orElseThrow();
            assertEquals(List.of(10, 1, 6, 7), List.of(l4.getState(), l4.getType(), l4.getProto(), l4.getBacklog()),
                    "listening, stream, TCP, backlog 7");
            assertEquals(List.of(0x0100007f), l4.getSrcAddrList(), "127.0.0.1 as CRIU's host-order word");
            assertTrue(l4.getOpts().getReuseaddr() && l4.getOpts().getSoKeepalive() && l4.getOpts().getTcpKeepidle() == 77);
            InetSkEntry l6 = socks.stream().filter(s -> s.getSrcPort() == v6).findFirst().orElseThrow();
            assertEquals(List.of(10, 0, 0, 0x01000000), List.of(l6.getFamily(), l6.getSrcAddr(0), l6.getSrcAddr(2),
                    l6.getSrcAddr(3)), "AF_INET6 ::1");
            assertTrue(l6.getV6Only() && l6.getOpts().getSoReuseport() && (l6.getFlags() & 04000) != 0);

            Crit.assumeAvailable();
            String json = Crit.run("decode", "-i", dir.resolve("files.img").toString(), "--pretty");
            assertTrue(json.contains("\"INETSK\"") && json.contains("\"src_addr\": [\n                    \"127.0.0.1\"")
                    || json.contains("\"127.0.0.1\""), json);
            assertTrue(json.contains("\"::1\"") && json.contains("\"state\": \"LISTEN\""), json);

            restoreAndPass(p, dir);
        }
    }

    @Test
    void udpSocketsComeBackBoundAndConnectedAndQueuedDatagramsAreDropped() {
        try (LiveProcess p = Fixture.start("udp")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            List<InetSkEntry> socks = inet(dir);
            assertEquals(4, socks.size(), socks.toString());
            assertTrue(socks.stream().allMatch(s -> s.getProto() == 17 && s.getType() == 2));
            assertEquals(2, socks.stream().filter(s -> s.getDstPort() == port(p, "server")).count(), "two connected");
            assertTrue(socks.stream().anyMatch(s -> s.getOpts().getSoBroadcast()), "SO_BROADCAST");
            assertTrue(socks.stream().anyMatch(s -> s.getShutdown() == dev.jcr.image.proto.SkShutdown.WRITE));
            Crit.assumeAvailable();
            String json = Crit.run("decode", "-i", dir.resolve("files.img").toString(), "--pretty");
            assertTrue(json.contains("\"proto\": \"IPPROTO_UDP\"") || json.contains("\"UDP\""), json);
            String after = restoreAndPass(p, dir);
            assertTrue(after.contains("QUEUED dropped"), "queued datagrams are dropped, as documented: " + after);
        }
    }
}
