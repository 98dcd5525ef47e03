package dev.jcr.proc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One end of an IPv4 or IPv6 socket: address and port. An IPv6 socket speaking IPv4 uses IPv4-mapped
 * addresses (::ffff:a.b.c.d); {@link #plain()} turns them into the IPv4 address the packets carry, so
 * that two ends of one connection match whatever their families.
 *
 * @param family  AF_INET (2) or AF_INET6 (10)
 * @param address 4 or 16 bytes, network order
 * @param port    0 when unbound
 */
public record InetEndpoint(int family, byte[] address, int port) {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public InetEndpoint {
        if (address.length != (family == AF_INET ? 4 : 16)) {
            throw new IllegalArgumentException("family " + family + " address of " + address.length + " bytes");
        }
        address = address.clone();
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** The wildcard address of FAMILY with PORT. */
    public static InetEndpoint any(int family, int port) {
        return new InetEndpoint(family, new byte[family == AF_INET ? 4 : 16], port);
    }

    public boolean v6() {
        return family == AF_INET6;
    }

    /** ::ffff:a.b.c.d (an IPv6 socket's view of an IPv4 peer). */
    public boolean v4Mapped() {
        if (family != AF_INET6) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return (address[10] & 0xff) == 0xff && (address[11] & 0xff) == 0xff;
    }

    /** The address packets carry: an IPv4-mapped one as IPv4, any other as it is. */
    public InetEndpoint plain() {
        return v4Mapped() ? new InetEndpoint(AF_INET, Arrays.copyOfRange(address, 12, 16), port) : this;
    }

    public boolean wildcard() {
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The address as CRIU's inet_sk_entry stores it: 32-bit words holding the address bytes in memory
     * order (1 word for IPv4, 4 for IPv6), read as host (little-endian) integers.
     */
    public int[] words() {
        ByteBuffer b = ByteBuffer.wrap(address).order(ByteOrder.LITTLE_ENDIAN);
        int[] w = new int[address.length / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = b.getInt();
        }
        return w;
    }

    /** The inverse of {@link #words()}; null when WORDS do not fit FAMILY. */
    public static InetEndpoint fromWords(int family, java.util.List<Integer> words, int port) {
        int n = family == AF_INET ? 1 : family == AF_INET6 ? 4 : -1;
        if (n < 0 || words.size() < n || (family == AF_INET6 && words.size() != n)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(words.get(i));
        }
        return new InetEndpoint(family, b.array(), port);
    }

    /** struct sockaddr_in / sockaddr_in6 (little-endian family, big-endian port), scope id SCOPE for IPv6. */
    public byte[] sockaddr(int scope) {
        if (family == AF_INET) {
            return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET)
                    .order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(address).array();
        }
        return ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_INET6)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0).put(address)
                .order(ByteOrder.LITTLE_ENDIAN).putInt(scope).array();
    }

    /** The endpoint a sockaddr_in / sockaddr_in6 names (as getsockname returns it); null for another family. */
    public static InetEndpoint fromSockaddr(byte[] sa) {
        if (sa == null || sa.length < 2) {
            return null;
        }
        int family = (sa[0] & 0xff) | (sa[1] & 0xff) << 8;
        int port = sa.length >= 4 ? ((sa[2] & 0xff) << 8) | (sa[3] & 0xff) : 0;
        if (family == AF_INET && sa.length >= 8) {
            return new InetEndpoint(AF_INET, Arrays.copyOfRange(sa, 4, 8), port);
        }
        if (family == AF_INET6 && sa.length >= 24) {
            return new InetEndpoint(AF_INET6, Arrays.copyOfRange(sa, 8, 24), port);
        }
        return null;
    }

    /** The address alone: "127.0.0.1", "::1", "::ffff:127.0.0.1". */
    public String host() {
        if (family == AF_INET) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (v4Mapped()) {
            return "::ffff:" + plain().host();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] == 0) {
                int j = i;
                while (j < 8 && g[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** "127.0.0.1:8080", "[::1]:53". */
    @Override
    public String toString() {
        return family == AF_INET ? host() + ":" + port : "[" + host() + "]:" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InetEndpoint e && e.family == family && e.port == port && Arrays.equals(e.address, address);
    }

    @Override
    public int hashCode() {
        return (family * 31 + port) * 31 + Arrays.hashCode(address);
    }
}
