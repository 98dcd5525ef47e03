package dev.jcr.ptrace;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One queued signal: the 128-byte siginfo_t exactly as the kernel gave it (what CRIU's
 * siginfo_entry stores) plus its three common fields decoded.
 */
public record SigInfo(int signo, int errno, int code, byte[] raw) {

    public static final int SI_USER = 0;
    public static final int SI_QUEUE = -1;
    public static final int SI_TIMER = -2;
    public static final int SI_TKILL = -6;

    public static SigInfo parse(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return new SigInfo(b.getInt(0), b.getInt(4), b.getInt(8), raw.clone());
    }

    static List<SigInfo> all(List<byte[]> raws) {
        List<SigInfo> out = new ArrayList<>();
        raws.forEach(r -> out.add(parse(r)));
        return out;
    }

    /** si_pid of a signal sent by a process (kill, tgkill, sigqueue). */
    public int senderPid() {
        return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public String toString() {
        return "siginfo(signo=" + signo + ", code=" + code + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigInfo && java.util.Arrays.equals(raw, ((SigInfo) o).raw);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw);
    }
}
