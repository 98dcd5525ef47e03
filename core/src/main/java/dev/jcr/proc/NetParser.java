package dev.jcr.proc;

import java.util.Map;

/** Parses the socket tables under /proc/PID/net (unix, tcp[6], udp[6], raw[6], netlink, packet). */
public final class NetParser {

    private static final int SO_ACCEPTCON = 0x10000;

    private NetParser() {
    }

    /** /proc/net/unix: "Num RefCount Protocol Flags Type St Inode [Path]". */
    public static void parseUnix(String path, String text, Map<Long, SocketInfo> into) {
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 8);
            if (f.length < 7) {
                throw new ProcParseException(path, i + 1, "expected 7 columns in '" + line + "'");
            }
            int flags = (int) hex(path, i + 1, f[3]);
            int type = (int) hex(path, i + 1, f[4]);
            int st = (int) hex(path, i + 1, f[5]);
            long inode = dec(path, i + 1, f[6]);
            FdKind kind = switch (type) {
                case 1 -> FdKind.UNIX_STREAM;
                case 2 -> FdKind.UNIX_DGRAM;
                case 5 -> FdKind.UNIX_SEQPACKET;
                default -> FdKind.OTHER_SOCKET;
            };
            String state;
            if ((flags & SO_ACCEPTCON) != 0) {
                state = "listening";
            } else {
                state = switch (st) {
                    case 1 -> "unconnected";
                    case 2 -> "connecting";
                    case 3 -> "connected";
                    case 4 -> "disconnecting";
                    default -> "state " + st;
                };
            }
            into.put(inode, new SocketInfo(inode, kind, "unix", state, f.length > 7 ? f[7] : "", ""));
        }
    }

    /** /proc/net/{tcp,udp,raw}[6]: "sl local rem st … uid timeout inode …". KIND is TCP, UDP or RAW_SOCKET. */
    public static void parseInet(String path, String text, FdKind kind, boolean v6, Map<Long, SocketInfo> into) {
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 10) {
                throw new ProcParseException(path, i + 1, "expected at least 10 columns in '" + line + "'");
            }
            long inode = dec(path, i + 1, f[9]);
            if (inode == 0) {
                // time-wait and orphaned sockets belong to no fd
                continue;
            }
            int st = (int) hex(path, i + 1, f[3]);
            String state = kind == FdKind.TCP ? tcpState(st) : (st == 1 ? "connected" : "unconnected");
            String remote = address(path, i + 1, f[2], v6);
            if (kind != FdKind.TCP && remote.endsWith(":0") && remote.matches("(0\\.0\\.0\\.0|\\[::\\]):0")) {
                remote = "";
            }
            if (kind == FdKind.TCP && st == 0x0A) {
                remote = "";
            }
            into.put(inode, new SocketInfo(inode, kind, v6 ? "inet6" : "inet", state,
                    address(path, i + 1, f[1], v6), remote));
        }
    }

    /** /proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode". */
    public static void parseNetlink(String path, String text, Map<Long, SocketInfo> into) {
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 10) {
                throw new ProcParseException(path, i + 1, "expected 10 columns in '" + lines[i] + "'");
            }
            long inode = dec(path, i + 1, f[9]);
            into.put(inode, new SocketInfo(inode, FdKind.NETLINK, "netlink", "unconnected",
                    "protocol " + f[1] + " port " + f[2], ""));
        }
    }

    /** /proc/net/packet: "sk RefCnt Type Proto Iface R Rmem User Inode". */
    public static void parsePacket(String path, String text, Map<Long, SocketInfo> into) {
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 9) {
                throw new ProcParseException(path, i + 1, "expected 9 columns in '" + lines[i] + "'");
            }
            long inode = dec(path, i + 1, f[8]);
            into.put(inode, new SocketInfo(inode, FdKind.PACKET, "packet", "unconnected",
                    "protocol 0x" + f[3] + " interface " + f[4], ""));
        }
    }

    static String tcpState(int st) {
        return switch (st) {
            case 0x01 -> "established";
            case 0x02 -> "syn-sent";
            case 0x03 -> "syn-received";
            case 0x04 -> "fin-wait-1";
            case 0x05 -> "fin-wait-2";
            case 0x06 -> "time-wait";
            case 0x07 -> "closed";
            case 0x08 -> "close-wait";
            case 0x09 -> "last-ack";
            case 0x0A -> "listening";
            case 0x0B -> "closing";
            default -> "state " + st;
        };
    }

    /**
     * "0100007F:1F90" → "127.0.0.1:8080". The kernel prints each 32-bit word of the address in host
     * (little-endian) byte order, so bytes are reversed within every word.
     */
    static String address(String path, int line, String col, boolean v6) {
        int colon = col.indexOf(':');
        if (colon < 0 || colon != (v6 ? 32 : 8)) {
            throw new ProcParseException(path, line, "address '" + col + "' is not HEX:PORT");
        }
        String hexAddr = col.substring(0, colon);
        int port = (int) hex(path, line, col.substring(colon + 1));
        byte[] b = new byte[v6 ? 16 : 4];
        for (int w = 0; w < b.length / 4; w++) {
            long word = hex(path, line, hexAddr.substring(w * 8, w * 8 + 8));
            for (int k = 0; k < 4; k++) {
                b[w * 4 + k] = (byte) (word >>> (8 * k));
            }
        }
        if (!v6) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff) + ":" + port;
        }
        StringBuilder s = new StringBuilder("[");
        for (int g = 0; g < 8; g++) {
            if (g > 0) {
                s.append(':');
            }
            s.append(Integer.toHexString(((b[2 * g] & 0xff) << 8) | (b[2 * g + 1] & 0xff)));
        }
        String full = s.append(']').toString();
        return compressV6(full) + ":" + port;
    }

    /** Shortens the longest run of zero groups to "::" (RFC 5952 style). */
    private static String compressV6(String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        String[] g = inner.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return bracketed;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, g.length));
        return "[" + left + "::" + right + "]";
    }

    private static long hex(String path, int line, String v) {
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, line, "'" + v + "' is not hexadecimal");
        }
    }

    private static long dec(String path, int line, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, line, "'" + v + "' is not a number");
        }
    }
}
