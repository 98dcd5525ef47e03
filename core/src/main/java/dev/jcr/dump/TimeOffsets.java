package dev.jcr.dump;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcIoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far the clocks a process sees are from jcr's: zero in jcr's time namespace, else the offsets
 * of its own ({@code /proc/PID/timens_offsets}: "monotonic SECONDS NANOSECONDS" and "boottime …",
 * clock names or numbers). A tree restored in a time namespace is dumped with the clocks it saw, so
 * that a second restore continues them too.
 */
final class TimeOffsets {

    private TimeOffsets() {
    }

    /** {monotonic, boottime} offsets in nanoseconds of PID's time namespace against jcr's. */
    static long[] of(ProcFs fs, int pid) {
        Path dir = fs.root().resolve(Integer.toString(pid));
        try {
            Path ns = dir.resolve("ns/time");
            if (!Files.exists(ns) || Files.readSymbolicLink(ns).equals(Files.readSymbolicLink(fs.root().resolve("self/ns/time")))) {
                return new long[] {0, 0};
            }
            return parse(Files.readString(dir.resolve("timens_offsets")));
        } catch (IOException e) {
            throw new ProcIoException(dir.resolve("timens_offsets").toString(), e);
        }
    }

    static long[] parse(String text) {
        long[] out = new long[2];
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            long v = Long.parseLong(f[1]) * 1_000_000_000L + Long.parseLong(f[2]);
            switch (f[0]) {
                case "monotonic", "1" -> out[0] = v;
                case "boottime", "7" -> out[1] = v;
                default -> { }
            }
        }
        return out;
    }
}
