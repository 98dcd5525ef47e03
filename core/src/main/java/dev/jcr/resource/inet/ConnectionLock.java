package dev.jcr.resource.inet;

import dev.jcr.JcrException;
import dev.jcr.proc.InetEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps TCP connections still with nftables: every packet of a locked connection, in either
 * direction, is dropped before the kernel's TCP sees it (hooks input and output, priority -300, before
 * connection tracking). A dump needs this because repair mode alone does not quiet a socket: the
 * kernel still queues and acknowledges what arrives, so bytes that came after the receive queue was
 * read would be acknowledged to the peer and missing from the image. Between a dump with --kill and
 * the restore the lock also keeps the peer's packets from being answered with a reset (no socket
 * exists then). The peer sees only lost packets and retransmits them once the lock is lifted.
 *
 * <p>One nftables table, {@code inet jcr}, with sets {@code conn4} and {@code conn6} of
 * (source address, source port, destination address, destination port) and one drop rule per set and
 * hook; each connection is two elements (one per direction). Elements carry a timeout: a lock left
 * behind because jcr was killed expires by itself, and the table, then empty, drops nothing (remove
 * it with {@code nft delete table inet jcr}). Concurrent jcr runs share the table and add and remove
 * only their own elements; the table's rules are rewritten in the same transaction each time, so they
 * are never duplicated.
 *
 * <p>Uses the {@code nft} program (Debian package nftables), run with a script on its standard input:
 * one transaction per call, whatever the number of connections.
 */
public final class ConnectionLock {

    /** A lock of a dump that leaves the tree running: long enough for the state collection of any tree. */
    public static final Duration WHILE_DUMPING = Duration.ofMinutes(2);
    /** A lock after a dump with --kill, lifted by the restore: how long the peers are kept waiting at most. */
    public static final Duration UNTIL_RESTORED = Duration.ofMinutes(10);

    private static final String TABLE = "inet jcr";
    private static final List<Path> NFT = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft"));
    private static final long NFT_TIMEOUT_SECONDS = 30;

    /** A TCP connection by its two ends as packets carry them (see {@link InetEndpoint#plain()}). */
    public record Connection(InetEndpoint local, InetEndpoint remote) {
        public Connection {
            local = local.plain();
            remote = remote.plain();
        }

        @Override
        public String toString() {
            return local + " -> " + remote;
        }
    }

    private ConnectionLock() {
    }

    /** The nft program, or null when nftables' tools are not installed. */
    public static Path nft() {
        return NFT.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Why connections cannot be locked here, or null when they can. */
    public static String unavailable() {
        return nft() == null ? "nft (Debian package nftables) is not installed: jcr locks established connections"
                + " with nftables while it reads them" : null;
    }

    /** Drops every packet of CONNECTIONS from now on, for TTL at most. */
    public static void lock(Collection<Connection> connections, Duration ttl) {
        if (connections.isEmpty()) {
            return;
        }
        StringBuilder s = setup(true);
        elements(s, "add", connections, ttl);
        run(s, "lock " + connections.size() + " TCP connection(s)");
    }

    /** Gives the locks of CONNECTIONS a new time to live, TTL from now (whether they had expired or not). */
    public static void relock(Collection<Connection> connections, Duration ttl) {
        if (connections.isEmpty()) {
            return;
        }
        StringBuilder s = setup(false);
        elements(s, "add", connections, Duration.ofSeconds(1));
        elements(s, "delete", connections, null);
        elements(s, "add", connections, ttl);
        run(s, "extend the lock of " + connections.size() + " TCP connection(s)");
    }

    /** Lets the packets of CONNECTIONS through again (locked or not: a lock that expired is no error). */
    public static void unlock(Collection<Connection> connections) {
        if (connections.isEmpty()) {
            return;
        }
        StringBuilder s = setup(false);
        // each element is added first (for a second, in case this command fails half way), so that the
        // delete finds it even when its lock had already expired
        elements(s, "add", connections, Duration.ofSeconds(1));
        elements(s, "delete", connections, null);
        run(s, "unlock " + connections.size() + " TCP connection(s)");
    }

    /** The table and its sets (created when missing); with RULES, its chains and their rules, written anew. */
    private static StringBuilder setup(boolean rules) {
        StringBuilder s = new StringBuilder("add table " + TABLE + "\n");
        s.append("add set ").append(TABLE).append(" conn4 { type ipv4_addr . inet_service . ipv4_addr . inet_service;"
                + " flags timeout; }\n");
        s.append("add set ").append(TABLE).append(" conn6 { type ipv6_addr . inet_service . ipv6_addr . inet_service;"
                + " flags timeout; }\n");
        if (rules) {
            for (String hook : List.of("input", "output")) {
                s.append("add chain ").append(TABLE).append(' ').append(hook).append(" { type filter hook ").append(hook)
                        .append(" priority -300; policy accept; }\n");
                s.append("flush chain ").append(TABLE).append(' ').append(hook).append('\n');
                s.append("add rule ").append(TABLE).append(' ').append(hook)
                        .append(" ip saddr . tcp sport . ip daddr . tcp dport @conn4 drop\n");
                s.append("add rule ").append(TABLE).append(' ').append(hook)
                        .append(" ip6 saddr . tcp sport . ip6 daddr . tcp dport @conn6 drop\n");
            }
        }
        return s;
    }

    /** One "VERB element" command per set with both directions of each connection (TTL null: no timeout). */
    private static void elements(StringBuilder s, String verb, Collection<Connection> connections, Duration ttl) {
        Set<String> v4 = new LinkedHashSet<>();
        Set<String> v6 = new LinkedHashSet<>();
        for (Connection c : connections) {
            Set<String> set = c.local().v6() ? v6 : v4;
            set.add(element(c.remote(), c.local()));
            set.add(element(c.local(), c.remote()));
        }
        String timeout = ttl == null ? "" : " timeout " + Math.max(1, ttl.toSeconds()) + "s";
        for (var e : List.of(java.util.Map.entry("conn4", v4), java.util.Map.entry("conn6", v6))) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            s.append(verb).append(" element ").append(TABLE).append(' ').append(e.getKey()).append(" { ");
            s.append(String.join(timeout + ", ", e.getValue())).append(timeout).append(" }\n");
        }
    }

    /** A packet from FROM to TO, as a set element. */
    private static String element(InetEndpoint from, InetEndpoint to) {
        return from.host() + " . " + from.port() + " . " + to.host() + " . " + to.port();
    }

    private static void run(StringBuilder script, String what) {
        Path nft = nft();
        if (nft == null) {
            throw new LockException("cannot " + what + ": " + unavailable());
        }
        Process p;
        Path errors;
        try {
            // nft repeats a failed command in its message: a file holds any length without blocking it
            errors = Files.createTempFile("jcr-nft", ".err");
            p = new ProcessBuilder(nft.toString(), "-f", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new LockException("cannot " + what + ": " + nft + ": " + e.getMessage());
        }
        try {
            wait(p, script, what, errors);
        } finally {
            try {
                Files.deleteIfExists(errors);
            } catch (IOException ignored) {
                // a temporary file left in /tmp
            }
        }
    }

    private static void wait(Process p, StringBuilder script, String what, Path errors) {
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nft exited early: its status and message say why
        }
        try {
            if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LockException("cannot " + what + ": nft did not answer within " + NFT_TIMEOUT_SECONDS + " s");
            }
            String err = Files.readString(errors).strip();
            if (p.exitValue() != 0) {
                throw new LockException("cannot " + what + " with nftables (nft exited " + p.exitValue() + "): "
                        + (err.isEmpty() ? "no message" : err.lines().findFirst().orElse("")));
            }
        } catch (IOException e) {
            throw new LockException("cannot " + what + ": reading nft's answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new LockException("cannot " + what + ": interrupted");
        }
    }

    /** nftables refused (or is missing): the connections are not locked. */
    public static final class LockException extends JcrException {
        LockException(String message) {
            super(message);
        }

        @Override
        public Kind kind() {
            return Kind.UNSUPPORTED;
        }
    }
}
