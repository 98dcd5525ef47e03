package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.resource.Options;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.Need;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * Real servers through dump --kill and restore, each on its own port and directory: python's
 * http.server serves the same file again, redis keeps its keys, accepts new clients and keeps the
 * client that was connected during the dump (outside the tree: --tcp-established), nginx's master and
 * workers (one listening socket shared by the tree) serve again.
 */
@Timeout(180)
class ServersRestoreTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final Path NGINX = Path.of("/usr/sbin/nginx");

    @TempDir
    Path tmp;

    /** A port free right now (bound and let go: a stranger may take it, which no other way avoids either). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * GET PATH over HTTP/1.0 (the server closes the connection after the answer: no idle connection of this
     * JVM stays with the server when it is dumped); the body of a 200 answer.
     */
    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = answer.indexOf("\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.") && answer.substring(9, 12).equals("200") && body > 0, answer);
            return answer.substring(body + 4);
        }
    }

    private static void dumpKillRestore(LiveProcess p, Path dir, DumpOptions options) {
        new DumpEngine().dump((int) p.pid(), options, DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
    }

    @Test
    void pythonHttpServerServesTheSameFileOnTheSamePortAfterRestore() throws Exception {
        Need.tool(PYTHON, "python3");
        Path www = Files.createDirectory(tmp.resolve("www"));
        String content = "served by a restored python " + System.nanoTime() + "\n";
        Files.writeString(www.resolve("file.txt"), content);
        int port = freePort();
        try (LiveProcess p = LiveProcess.startCommand(List.of(PYTHON.toString(), "-u", "-m", "http.server",
                Integer.toString(port), "--bind", "127.0.0.1", "--directory", www.toString()), Duration.ofSeconds(30),
                "Serving HTTP")) {
            assertEquals(content, get(port, "/file.txt"));
            Path dir = tmp.resolve("img");
            dumpKillRestore(p, dir, new DumpOptions(dir, true, false));
            assertEquals(content, get(port, "/file.txt"), "the same port serves the same file");
            assertEquals(content, get(port, "/file.txt"), "and keeps serving");
        }
    }

    /** A redis client speaking the inline protocol: one command, one reply (a bulk reply's value). */
    private record Redis(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
        static Redis connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(20_000);
            return new Redis(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)),
                    s.getOutputStream());
        }

        String call(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("redis closed the connection on '" + command + "'");
            }
            if (line.startsWith("$")) {
                return Integer.parseInt(line.substring(1)) < 0 ? null : in.readLine();
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void redisKeepsItsKeysAcceptsNewClientsAndKeepsTheClientConnectedDuringTheDump() throws Exception {
        Need.tool(REDIS, "redis-server (Debian package redis-server)");
        Path data = Files.createDirectory(tmp.resolve("redis"));
        int port = freePort();
        try (LiveProcess p = LiveProcess.startCommand(List.of(REDIS.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", data.toString(), "--daemonize", "no",
                "--protected-mode", "no"), Duration.ofSeconds(30), "Ready to accept connections");
                Redis held = Redis.connect(port)) {
            assertEquals("+OK", held.call("SET before-dump 42"));
            try (Redis other = Redis.connect(port)) {
                assertEquals("+OK", other.call("SET other-key value"));
            }
            TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
            assertTrue(check.onlyOptionsMissing() && check.messages().stream()
                    .anyMatch(m -> m.contains("127.0.0.1:" + held.socket().getLocalPort() + " is outside the tree")),
                    "the held client is named: " + check.messages());
            Path dir = tmp.resolve("img");
            dumpKillRestore(p, dir, new DumpOptions(dir, true, false).with(Options.TCP_ESTABLISHED, true));

            assertEquals("42", held.call("GET before-dump"), "the held connection works on");
            assertEquals("+OK", held.call("SET after-restore yes"));
            try (Redis fresh = Redis.connect(port)) {
                assertEquals("value", fresh.call("GET other-key"), "keys set before the dump are there");
                assertEquals("yes", fresh.call("GET after-restore"));
                assertEquals(":43", fresh.call("INCR before-dump"));
            }
            assertEquals("43", held.call("GET before-dump"));
        }
    }

    @Test
    void nginxMasterAndWorkersSharingTheirListenerServeAfterRestore() throws Exception {
        Need.tool(NGINX, "nginx (Debian package nginx)");
        Path prefix = Files.createDirectory(tmp.resolve("nginx"));
        Path www = Files.createDirectories(prefix.resolve("www"));
        Files.createDirectories(prefix.resolve("logs"));
        String content = "<p>nginx restored " + System.nanoTime() + "</p>\n";
        Files.writeString(www.resolve("index.html"), content);
        // the workers run as nobody: they must reach the files
        for (Path d : List.of(tmp, prefix, www)) {
            Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(www.resolve("index.html"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        int port = freePort();
        StringBuilder conf = new StringBuilder("daemon off;\nmaster_process on;\nworker_processes 2;\n")
                .append("pid ").append(prefix.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(prefix.resolve("logs/error.log")).append(";\n")
                .append("events { worker_connections 64; }\nhttp {\n  access_log off;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            conf.append("  ").append(temp).append("_temp_path ").append(prefix.resolve(temp)).append(";\n");
        }
        conf.append("  server { listen 127.0.0.1:").append(port).append("; root ").append(www).append("; }\n}\n");
        Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
        try (LiveProcess p = LiveProcess.startCommand(List.of(NGINX.toString(), "-p", prefix.toString(), "-c",
                confFile.toString()), Duration.ofSeconds(30), null)) {
            List<Long> workers = awaitWorkers(p.pid(), 2);
            try {
                assertEquals(content, get(port, "/"));
                // the master talks to its workers through unix socketpairs; the workers run as nobody
                TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
                assertTrue(check.checkpointable(), "nginx is checkpointable: " + check.messages());
                Path dir = tmp.resolve("img");
                dumpKillRestore(p, dir, new DumpOptions(dir, true, false));
                assertEquals(workers, awaitWorkers(p.pid(), 2), "the same workers");
                for (int i = 0; i < 4; i++) {
                    assertEquals(content, get(port, "/"), "request " + i);
                }
            } finally {
                // the master first: it would start new workers for killed ones, and those were left behind,
                // running as nobody, after every run
                List<Long> all = new java.util.ArrayList<>(workers);
                Path children = Path.of("/proc/" + p.pid() + "/task/" + p.pid() + "/children");
                if (Files.exists(children)) {
                    for (String c : Files.readString(children).trim().split("\\s+")) {
                        if (!c.isEmpty() && !all.contains(Long.parseLong(c))) {
                            all.add(Long.parseLong(c));
                        }
                    }
                }
                new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
                for (long w : all) {
                    new ProcessBuilder("kill", "-9", Long.toString(w)).start().waitFor();
                }
            }
        }
    }

    /** The N children of nginx's master, once they are all there (bounded wait). */
    private static List<Long> awaitWorkers(long master, int n) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Long> kids = new ArrayList<>();
            Path children = Path.of("/proc/" + master + "/task/" + master + "/children");
            if (Files.exists(children)) {
                for (String s : Files.readString(children).trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        kids.add(Long.parseLong(s));
                    }
                }
            }
            if (kids.size() >= n || System.nanoTime() > deadline) {
                assertEquals(n, kids.size(), "nginx workers of " + master);
                kids.sort(null);
                return kids;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
