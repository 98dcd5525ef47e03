package dev.jcr.resource.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.proc.NetlinkSock;
import dev.jcr.proc.NetlinkSockets;
import dev.jcr.proc.SocketDiag;
import dev.jcr.proc.UnixSock;
import dev.jcr.proc.UnixSockets;
import dev.jcr.sys.Linux;
import dev.jcr.sys.Sockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared socket foundation against the real kernel, on sockets jcr makes itself: the sock_diag
 * client sees peers, pending connections, names, queue lengths and shutdown state; a queue is peeked
 * without taking anything and sent again with its boundaries; options read from one socket and
 * applied to a fresh one come back equal.
 */
class SocketFoundationTest {

    private final List<Integer> fds = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        fds.forEach(fd -> {
            try {
                Linux.close(fd);
            } catch (RuntimeException ignored) {
                // closed by the test
            }
        });
    }

    private int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    private static long inode(int fd) throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        return Long.parseLong(link.substring("socket:[".length(), link.length() - 1));
    }

    private static byte[] abstractName(String s) {
        byte[] n = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[n.length + 1];
        System.arraycopy(n, 0, out, 1, n.length);
        return out;
    }

    @Test
    void unixDiagKnowsPeersPendingConnectionsNamesQueuesAndShutdown() throws IOException {
        int[] pair = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM);
        keep(pair[0]);
        keep(pair[1]);
        Sockets.send(pair[0], "hello".getBytes(), List.of(), null, 0);
        Sockets.shutdown(pair[1], Sockets.SHUT_WR);
        int listener = keep(Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0));
        byte[] name = abstractName("jcr-test-" + UUID.randomUUID());
        Sockets.bind(listener, Sockets.unixAddress(name));
        Sockets.listen(listener, 7);
        int client = keep(Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0));
        Sockets.connect(client, Sockets.unixAddress(name));
        Path file = tmp.resolve("s.sock");
        int bound = keep(Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_DGRAM, 0));
        Sockets.bind(bound, Sockets.unixAddress((file + "\0").getBytes(StandardCharsets.UTF_8)));

        UnixSockets all = SocketDiag.kernel().unix();
        UnixSock a = all.get(inode(pair[0]));
        UnixSock b = all.get(inode(pair[1]));
        assertEquals(inode(pair[1]), a.peer());
        assertEquals(inode(pair[0]), b.peer());
        assertEquals(5, b.rqueue(), "5 bytes wait in the receiver");
        assertTrue(a.wqueue() >= 5, "and are charged to the sender (with the kernel's overhead)");
        assertEquals(Sockets.SHUT_WR + 1, b.shutdown(), "the kernel's mask: 2 = send side shut");
        UnixSock l = all.get(inode(listener));
        assertTrue(l.listening());
        assertEquals(7, l.wqueue(), "a listener's wqueue is its backlog");
        assertEquals(1, l.rqueue(), "one connection waits");
        assertArrayEquals(new long[] {inode(client)}, l.icons());
        assertEquals(l.inode(), all.listenerOf(inode(client)).inode());
        assertArrayEquals(name, l.name());
        assertTrue(l.abstractName());
        UnixSock f = all.get(inode(bound));
        assertEquals(file.toString(), f.nameText());
        assertEquals(Files.getAttribute(file, "unix:ino"), f.vfsInode());
    }

    @Test
    void aPeekedQueueIsStillThereAndComesBackWithItsBoundaries() {
        int[] pair = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_DGRAM);
        keep(pair[0]);
        keep(pair[1]);
        byte[] big = new byte[300 * 1024]; // more than one peek buffer: peeked again whole
        big[big.length - 1] = 7;
        List<byte[]> sent = List.of("one".getBytes(), new byte[0], big, "three".getBytes());
        Sockets.setInt(pair[0], Sockets.SOL_SOCKET, Sockets.SO_SNDBUFFORCE, 4 << 20);
        for (byte[] m : sent) {
            Sockets.send(pair[0], m, List.of(), null, 0);
        }
        List<SocketQueue.Packet> peeked = SocketQueue.peek(pair[1], true);
        assertEquals(4, peeked.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), peeked.get(i).data(), "message " + i);
        }
        assertEquals(-1, Sockets.getInt(pair[1], Sockets.SOL_SOCKET, Sockets.SO_PEEK_OFF), "the peek offset is off again");

        int[] copy = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_DGRAM);
        keep(copy[0]);
        keep(copy[1]);
        SocketQueue.refill(copy[0], null, peeked, "test socket");
        for (int i = 0; i < sent.size(); i++) {
            byte[] original = Sockets.recv(pair[1], 400 * 1024, Sockets.MSG_DONTWAIT);
            byte[] again = Sockets.recv(copy[1], 400 * 1024, Sockets.MSG_DONTWAIT);
            assertArrayEquals(sent.get(i), original, "the original queue is intact, message " + i);
            assertArrayEquals(sent.get(i), again, "the refilled queue, message " + i);
        }
        assertNull(Sockets.recv(copy[1], 16, Sockets.MSG_DONTWAIT));
    }

    @Test
    void aStreamQueueIsPeekedWhole() {
        int[] pair = Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM);
        keep(pair[0]);
        keep(pair[1]);
        Sockets.send(pair[0], "abc".getBytes(), List.of(), null, 0);
        Sockets.send(pair[0], "defg".getBytes(), List.of(), null, 0);
        List<SocketQueue.Packet> q = SocketQueue.peek(pair[1], false);
        StringBuilder all = new StringBuilder();
        q.forEach(p -> all.append(new String(p.data())));
        assertEquals("abcdefg", all.toString());
        assertEquals("abcdefg", new String(Sockets.recv(pair[1], 100, Sockets.MSG_DONTWAIT)));
    }

    @Test
    void optionsReadFromOneSocketApplyToAFreshOne() {
        int s = keep(Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0));
        Sockets.setInt(s, Sockets.SOL_SOCKET, Sockets.SO_SNDBUF, 65536);
        Sockets.setInt(s, Sockets.SOL_SOCKET, Sockets.SO_PASSCRED, 1);
        Sockets.setInt(s, Sockets.SOL_SOCKET, Sockets.SO_PRIORITY, 3);
        Sockets.set(s, Sockets.SOL_SOCKET, Sockets.SO_RCVTIMEO, java.nio.ByteBuffer.allocate(16)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(2).putLong(500_000).array());
        SkOptsEntry read = SocketOptions.read(s).build();
        assertEquals(131072, read.getSoSndbuf(), "the kernel doubles what is set");
        assertTrue(read.getSoPasscred());
        assertEquals(2, read.getSoRcvTmoSec());
        assertEquals(500_000, read.getSoRcvTmoUsec());

        int fresh = keep(Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0));
        SocketOptions.apply(fresh, read);
        assertEquals(read, SocketOptions.read(fresh).build());
    }

    @Test
    void netlinkDiagKnowsProtocolPortAndGroups() throws IOException {
        int nl = keep(Sockets.socket(Sockets.AF_NETLINK, Sockets.SOCK_RAW, 0 /* NETLINK_ROUTE */));
        // sockaddr_nl: family, pad, pid 0 (the kernel picks one), groups RTMGRP_LINK
        Sockets.bind(nl, java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putShort((short) Sockets.AF_NETLINK).putShort((short) 0).putInt(0).putInt(1).array());
        NetlinkSock s = NetlinkSockets.query().get(inode(nl));
        assertNotNull(s);
        assertEquals(0, s.protocol());
        assertEquals("route", s.protocolWords());
        assertTrue(s.portid() != 0);
        assertEquals(1, s.groups()[0] & 1);
    }
}
