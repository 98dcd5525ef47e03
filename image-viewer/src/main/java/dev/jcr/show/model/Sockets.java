package dev.jcr.show.model;

import dev.jcr.Quote;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Socket constants of Linux in words: families, types, protocols, TCP states, addresses. */
public final class Sockets {

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private Sockets() {
    }

    public static String family(int f) {
        return switch (f) {
            case AF_UNIX -> "unix";
            case AF_INET -> "inet";
            case AF_INET6 -> "inet6";
            case 16 -> "netlink";
            case 17 -> "packet";
            default -> "family " + f;
        };
    }

    public static String type(int t) {
        return switch (t) {
            case 1 -> "stream";
            case 2 -> "dgram";
            case 3 -> "raw";
            case 5 -> "seqpacket";
            default -> "type " + t;
        };
    }

    /** tcp, udp, udplite, raw ... from the protocol number (falling back to the socket type). */
    public static String proto(int proto, int type) {
        return switch (proto) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 136 -> "udplite";
            case 1 -> "icmp";
            case 58 -> "icmp6";
            case 0 -> type == 1 ? "tcp" : type == 2 ? "udp" : "raw";
            default -> "proto" + proto;
        };
    }

    /** TCP states by number (also used by CRIU for unix sockets: 1 established, 7 close, 10 listen). */
    public static String state(int s) {
        return switch (s) {
            case 1 -> "ESTABLISHED";
            case 2 -> "SYN_SENT";
            case 3 -> "SYN_RECV";
            case 4 -> "FIN_WAIT1";
            case 5 -> "FIN_WAIT2";
            case 6 -> "TIME_WAIT";
            case 7 -> "CLOSE";
            case 8 -> "CLOSE_WAIT";
            case 9 -> "LAST_ACK";
            case 10 -> "LISTEN";
            case 11 -> "CLOSING";
            default -> "state " + s;
        };
    }

    /** An address as CRIU stores it: u32 words holding the bytes in network order. */
    public static String address(List<Integer> words) {
        if (words.isEmpty()) {
            return "*";
        }
        byte[] b = new byte[words.size() * 4];
        for (int i = 0; i < words.size(); i++) {
            int w = words.get(i);
            b[4 * i] = (byte) w;
            b[4 * i + 1] = (byte) (w >>> 8);
            b[4 * i + 2] = (byte) (w >>> 16);
            b[4 * i + 3] = (byte) (w >>> 24);
        }
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    public static boolean isAny(List<Integer> words) {
        return words.stream().allMatch(w -> w == 0);
    }

    public static String endpoint(List<Integer> addr, int port) {
        String a = address(addr);
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + (port == 0 ? "*" : Integer.toString(port));
    }

    /** A unix socket name: a path, {@code @name} for the abstract namespace, empty when unnamed. */
    public static String unixName(byte[] name) {
        if (name.length == 0) {
            return "";
        }
        if (name[0] == 0) {
            return "@" + printable(name, 1);
        }
        return printable(name, 0);
    }

    private static String printable(byte[] b, int from) {
        return Quote.controls(new String(b, from, b.length - from, StandardCharsets.UTF_8));
    }
}
