package dev.jcr.show;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value tables behind crit's "pretty" JSON: flag names per table (mmap.prot, rfile.flags ...),
 * value names per dictionary (socket family/type/state/proto, task state), device numbers and IP
 * addresses. Flag bits without a name are kept as hex so nothing is lost.
 */
public final class PrettyFormats {

    private PrettyFormats() {
    }

    record Flag(String name, long bit) {
    }

    static final Map<String, List<Flag>> FLAGS = Map.of(
            "mmap.prot", List.of(new Flag("PROT_READ", 0x1), new Flag("PROT_WRITE", 0x2), new Flag("PROT_EXEC", 0x4)),
            "mmap.flags", List.of(new Flag("MAP_SHARED", 0x1), new Flag("MAP_PRIVATE", 0x2), new Flag("MAP_ANON", 0x20),
                    new Flag("MAP_GROWSDOWN", 0x100)),
            "mmap.status", List.of(new Flag("VMA_AREA_NONE", 0), new Flag("VMA_AREA_REGULAR", 1), new Flag("VMA_AREA_STACK", 1 << 1),
                    new Flag("VMA_AREA_VSYSCALL", 1 << 2), new Flag("VMA_AREA_VDSO", 1 << 3), new Flag("VMA_AREA_HEAP", 1 << 5),
                    new Flag("VMA_FILE_PRIVATE", 1 << 6), new Flag("VMA_FILE_SHARED", 1 << 7), new Flag("VMA_ANON_SHARED", 1 << 8),
                    new Flag("VMA_ANON_PRIVATE", 1 << 9), new Flag("VMA_AREA_SYSVIPC", 1 << 10), new Flag("VMA_AREA_SOCKET", 1 << 11),
                    new Flag("VMA_AREA_VVAR", 1 << 12), new Flag("VMA_AREA_AIORING", 1 << 13), new Flag("VMA_UNSUPP", 1L << 31)),
            "rfile.flags", List.of(new Flag("O_WRONLY", 01), new Flag("O_RDWR", 02), new Flag("O_CREAT", 0100),
                    new Flag("O_EXCL", 0200), new Flag("O_NOCTTY", 0400), new Flag("O_TRUNC", 01000), new Flag("O_APPEND", 02000),
                    new Flag("O_NONBLOCK", 04000), new Flag("O_DSYNC", 010000), new Flag("FASYNC", 020000),
                    new Flag("O_DIRECT", 040000), new Flag("O_LARGEFILE", 0100000), new Flag("O_DIRECTORY", 0200000),
                    new Flag("O_NOFOLLOW", 0400000), new Flag("O_NOATIME", 01000000), new Flag("O_CLOEXEC", 02000000)),
            "pmap.flags", List.of(new Flag("PE_PARENT", 1), new Flag("PE_LAZY", 2), new Flag("PE_PRESENT", 4)),
            "seals.flags", List.of(new Flag("F_SEAL_SEAL", 1), new Flag("F_SEAL_SHRINK", 2), new Flag("F_SEAL_GROW", 4),
                    new Flag("F_SEAL_WRITE", 8), new Flag("F_SEAL_FUTURE_WRITE", 0x10)));

    /**
     * Value names per dictionary and field name. The task states are CRIU's real ones (crit 3.17
     * swaps "Stopped" and "Zombie"; jcr does not copy that).
     */
    static final Map<String, Map<String, Map<Long, String>>> DICTS = Map.of(
            "gen", Map.of("task_state", ordered(1L, "Alive", 2L, "Dead", 3L, "Stopped", 6L, "Zombie")),
            "sk", Map.of(
                    "family", ordered(1L, "UNIX", 2L, "INET", 10L, "INET6", 16L, "NETLINK", 17L, "PACKET"),
                    "type", ordered(1L, "STREAM", 2L, "DGRAM", 3L, "RAW", 5L, "SEQPACKET", 10L, "PACKET"),
                    "state", ordered(1L, "ESTABLISHED", 2L, "SYN_SENT", 3L, "SYN_RECV", 4L, "FIN_WAIT1", 5L, "FIN_WAIT2",
                            6L, "TIME_WAIT", 7L, "CLOSE", 8L, "CLOSE_WAIT", 9L, "LAST_ACK", 10L, "LISTEN"),
                    "proto", ordered(0L, "IP", 6L, "TCP", 17L, "UDP", 136L, "UDPLITE")));

    private static Map<Long, String> ordered(Object... kv) {
        Map<Long, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((Long) kv[i], (String) kv[i + 1]);
        }
        return m;
    }

    /** "0x1f" (or "-0x1f"), as Python's "%#x"-style "0x%x". */
    static String hex(BigInteger v) {
        return v.signum() < 0 ? "-0x" + v.negate().toString(16) : "0x" + v.toString(16);
    }

    /** Flag names joined by " | ", leftover bits in hex; "" for 0. Null when the table is unknown. */
    static String flags(String table, BigInteger value) {
        List<Flag> flags = FLAGS.get(table);
        if (flags == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        BigInteger rest = value;
        for (Flag f : flags) {
            BigInteger bit = BigInteger.valueOf(f.bit());
            if (!value.and(bit).equals(BigInteger.ZERO)) {
                if (sb.length() > 0) {
                    sb.append(" | ");
                }
                sb.append(f.name());
            }
            rest = rest.andNot(bit);
        }
        if (rest.signum() != 0) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(hex(rest));
        }
        return sb.toString();
    }

    /** Parses "A | B | 0x40" back to bits; null when the table is unknown. */
    static BigInteger unflags(String table, String text) {
        List<Flag> flags = FLAGS.get(table);
        if (flags == null) {
            return null;
        }
        if (text.isEmpty()) {
            return BigInteger.ZERO;
        }
        BigInteger v = BigInteger.ZERO;
        for (String part : text.split("\\|")) {
            String p = part.strip();
            Flag f = flags.stream().filter(x -> x.name().equals(p)).findFirst().orElse(null);
            v = v.add(f != null ? BigInteger.valueOf(f.bit()) : PyInts.parse(p));
        }
        return v;
    }

    /** major:minor of a device number; {@code old} is glibc's makedev encoding, else the kernel's 20 minor bits. */
    static String dev(long v, boolean old) {
        if (old) {
            long major = ((v >>> 8) & 0xfff) | ((v >>> 32) & ~0xfffL);
            long minor = (v & 0xff) | ((v >>> 12) & ~0xffL);
            return major + ":" + minor;
        }
        return (v >>> 20) + ":" + (v & ((1 << 20) - 1));
    }

    static long undev(String text, boolean old) {
        String[] p = text.split(":");
        if (p.length != 2) {
            throw new NumberFormatException("not major:minor: " + text);
        }
        long major = Long.parseLong(p[0].strip());
        long minor = Long.parseLong(p[1].strip());
        if (old) {
            return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
        }
        return major << 20 | minor;
    }

    /** An address from u32 words in network byte order (1 word: IPv4, 4: IPv6), as Python prints it. */
    static String ip(List<Integer> words) {
        if (words.size() == 1) {
            int v = Integer.reverseBytes(words.get(0));
            return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
        }
        int[] h = new int[8];
        for (int i = 0; i < 4; i++) {
            int v = i < words.size() ? Integer.reverseBytes(words.get(i)) : 0;
            h[2 * i] = (v >>> 16) & 0xffff;
            h[2 * i + 1] = v & 0xffff;
        }
        // RFC 5952 as Python's ipaddress: the longest run (first on ties) of two or more zero groups becomes "::".
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (h[i] == 0) {
                int j = i;
                while (j < 8 && h[j] == 0) {
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
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(h[i]));
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** u32 words in network byte order for an IPv4 or IPv6 literal. */
    static int[] unip(String text) {
        InetAddress a;
        try {
            if (!text.matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(text);
            }
            a = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new NumberFormatException("not an IP address: " + text);
        }
        byte[] b = a.getAddress();
        int[] w = new int[b.length / 4];
        for (int i = 0; i < w.length; i++) {
            int v = (b[4 * i] & 0xff) << 24 | (b[4 * i + 1] & 0xff) << 16 | (b[4 * i + 2] & 0xff) << 8 | (b[4 * i + 3] & 0xff);
            w[i] = Integer.reverseBytes(v);
        }
        return w;
    }
}
