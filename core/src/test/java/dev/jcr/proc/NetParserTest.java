package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetParserTest {

    @Test
    void tcpListenerAndEstablishedConnectionWithLittleEndianAddresses() {
        Map<Long, SocketInfo> m = new HashMap<>();
        NetParser.parseInet("/proc/1/net/tcp", String.join("\n",
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1199 1 0 100 0 0 10 0",
                "   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 1200 1 0 100 0 0 10 0",
                "   2: 0100007F:9C41 0100007F:1F90 06 00000000:00000000 00:00000000 00000000     0        0 0 1 0 100 0 0 10 0",
                ""), FdKind.TCP, false, m);
        assertEquals(new SocketInfo(1199, FdKind.TCP, "inet", "listening", "127.0.0.1:8080", ""), m.get(1199L));
        assertEquals(new SocketInfo(1200, FdKind.TCP, "inet", "established", "127.0.0.1:40000", "127.0.0.1:8080"),
                m.get(1200L));
        assertFalse(m.containsKey(0L), "time-wait sockets have no inode and no fd");
    }

    @Test
    void ipv6LoopbackIsPrintedCompressed() {
        assertEquals("[::1]:53", NetParser.address("t", 1, "00000000000000000000000001000000:0035", true));
        assertEquals("[::]:0", NetParser.address("t", 1, "00000000000000000000000000000000:0000", true));
    }

    @Test
    void unixSocketsKnowTypeStateAndPath() {
        Map<Long, SocketInfo> m = new HashMap<>();
        NetParser.parseUnix("/proc/1/net/unix", String.join("\n",
                "Num       RefCount Protocol Flags    Type St Inode Path",
                "0000000000000000: 00000002 00000000 00010000 0001 01 1195 /run/x.sock",
                "0000000000000000: 00000003 00000000 00000000 0001 03 1196",
                "0000000000000000: 00000002 00000000 00000000 0002 01 1197 @abstract name",
                "0000000000000000: 00000002 00000000 00000000 0005 03 1198",
                ""), m);
        assertEquals(new SocketInfo(1195, FdKind.UNIX_STREAM, "unix", "listening", "/run/x.sock", ""), m.get(1195L));
        assertEquals("connected", m.get(1196L).state());
        assertEquals(FdKind.UNIX_DGRAM, m.get(1197L).kind());
        assertEquals("@abstract name", m.get(1197L).local());
        assertEquals(FdKind.UNIX_SEQPACKET, m.get(1198L).kind());
    }
}
