package dev.jcr.pageserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcr migrate between two "hosts" on this machine: this one and a network namespace joined by a veth
 * pair, whose page server restores into a PID namespace of its own (the two trees share this
 * machine's pids while both exist). The memhog fixture keeps writing through every round and checks
 * every byte on the receiver; a receiver that cannot restore leaves the source running.
 */
@Timeout(180)
class MigrationTest {

    @TempDir
    Path tmp;


    @Test
    void aWritingProcessMovesToAnotherNetworkAndPidNamespaceWithEveryByteChecked() throws Exception {
        Path recv = Files.createDirectory(tmp.resolve("recv"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (NetnsHost host = NetnsHost.create(); LiveProcess p = Fixture.start("memhog", "16", "10", "churn")) {
            Process receiver = host.start(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    PageServerMain.class.getName(), "0", recv.toString(), "--pid-ns"));
            long init = -1;
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
                String first = lines.readLine();
                assertTrue(first != null && first.startsWith("listening on port "), String.valueOf(first));
                String to = host.nsIp + ":" + first.substring("listening on port ".length());

                List<Migration.Round> rounds = new ArrayList<>();
                Migration.Result r = Migration.migrate((int) p.pid(), to, null, Migration.Options.standard(), rounds::add);
                assertEquals(rounds, r.rounds());
                assertTrue(rounds.size() >= 3 && rounds.get(0).preDump() && !rounds.get(rounds.size() - 1).preDump(),
                        rounds.toString());
                Migration.Round fin = rounds.get(rounds.size() - 1);
                assertTrue(fin.pagesInParent() > fin.pagesWritten(), "the final round sends what changed: " + fin);
                assertTrue(r.downtimeMicros() > 0);

                // the source is gone; the copy runs on the other host, with its dumped pid in its own namespace
                LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
                long copy = r.restored().hostRoot();
                init = Long.parseLong(LiveProcess.status(copy, "PPid"));
                assertEquals(p.pid(), r.restored().root());
                assertEquals(copy + "\t" + p.pid(), LiveProcess.status(copy, "NSpid"));
                assertEquals("net:[" + Files.getAttribute(Path.of("/run/netns", host.ns), "unix:ino") + "]",
                        Files.readSymbolicLink(Path.of("/proc/" + copy + "/ns/net")).toString(),
                        "in the receiver's network namespace");
                new ProcessBuilder("kill", "-USR1", Long.toString(copy)).start().waitFor();
                // the copy writes to the source's stdout file (same path, same machine); the source is gone
                long deadline = System.nanoTime() + LiveProcess.MIN_WAIT.toNanos();
                while (!p.stdout().contains("PASS memhog") && Files.exists(Path.of("/proc/" + copy))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(p.stdout().contains("PASS memhog") && !p.stdout().contains("FAIL"), p.stdout());
                assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "the session ended: the server is done");
                List<String> log = lines.lines().toList();
                assertTrue(log.contains("SERVED") && log.stream().anyMatch(l -> l.startsWith("page-server: restored final")),
                        log.toString());
            } finally {
                if (init > 0) {
                    new ProcessBuilder("kill", "-9", Long.toString(init)).start().waitFor();
                }
                receiver.destroyForcibly();
            }
        }
    }

    @Test
    void aReceiverThatCannotRestoreLeavesTheSourceRunning() throws Exception {
        Path recv = Files.createDirectory(tmp.resolve("recv"));
        StringWriter log = new StringWriter();
        // no PID namespace on the receiver: the source, frozen but alive, holds the very pid the restore needs
        try (PageServer server = new PageServer(0, recv, null, false, new PrintWriter(log, true));
                LiveProcess p = Fixture.start("memhog", "8", "10")) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(server::serve);
            JcrException e = assertThrows(JcrException.class, () -> Migration.migrate((int) p.pid(),
                    "127.0.0.1:" + server.port(), null, Migration.Options.standard(), r -> { }));
            assertEquals(JcrException.Kind.CONFLICT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("the source runs on"), e.getMessage());
            assertTrue(LiveProcess.status(p.pid(), "TracerPid").equals("0") && p.isAlive());
            p.signal("USR1");
            assertFalse(p.awaitOutput("PASS memhog", Duration.ofSeconds(30)).contains("FAIL"));
            served.get(30, TimeUnit.SECONDS);
            assertTrue(log.toString().contains("restore of final failed"), log.toString());
        }
    }
}
