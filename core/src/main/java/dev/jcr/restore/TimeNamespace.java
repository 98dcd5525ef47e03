package dev.jcr.restore;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.TimensEntry;
import dev.jcr.image.proto.Timespec;
import dev.jcr.sys.Linux;
import java.util.Optional;

/**
 * The clocks the dumped tree saw, carried over to a machine (or a boot) whose clocks are behind.
 *
 * <p>CLOCK_MONOTONIC and CLOCK_BOOTTIME count from boot. Restored elsewhere or after a reboot, they
 * would jump backwards for the tree, and a program sleeping until an absolute monotonic deadline
 * (Python's {@code time.sleep} does: clock_nanosleep with TIMER_ABSTIME) would sleep for as long as
 * the dump's machine had been up. A time namespace (Linux 5.6) shows its members the host's clocks
 * plus fixed offsets: the restore makes one whose clocks go on from the dump's values, as if the
 * tree had been suspended. Both jcr and CRIU record those values at dump time in timens-0.img.
 *
 * @param monotonicOffsetNanos what the new namespace adds to CLOCK_MONOTONIC
 * @param boottimeOffsetNanos  what it adds to CLOCK_BOOTTIME
 */
public record TimeNamespace(long monotonicOffsetNanos, long boottimeOffsetNanos) {

    /** When a restore makes a time namespace. */
    public enum Mode {
        /** Only when the dump's monotonic clock is ahead of this machine's (else the clock jumps ahead, as after a suspend). */
        AUTO,
        /** Always: the tree's clocks go on from the dump's values even on the machine it was dumped on. */
        ALWAYS,
        /** Never: the tree sees this machine's clocks. */
        NEVER
    }

    /** x86_64 unshare(2) and its flag for a new time namespace (effective for children created afterwards). */
    static final int SYS_UNSHARE = 272;
    static final long CLONE_NEWTIME = 0x80;

    /**
     * The namespace a restore of DIR makes under MODE, or empty: reads timens-0.img (a corrupt one is
     * a {@link BadImageException}) and compares its clocks with this machine's now.
     */
    public static Optional<TimeNamespace> plan(ImageDir dir, Mode mode) {
        if (mode == Mode.NEVER) {
            return Optional.empty();
        }
        if (!dir.has(ImageKind.TIMENS, 0)) {
            if (mode == Mode.ALWAYS) {
                throw new RestoreException(Kind.UNSUPPORTED, "the images record no clocks ("
                        + dir.file(ImageKind.TIMENS, 0).getFileName() + " is missing): cannot continue them in a"
                        + " time namespace");
            }
            return Optional.empty();
        }
        TimensEntry e = dir.readSingle(ImageKind.TIMENS, 0, TimensEntry.class);
        String image = dir.file(ImageKind.TIMENS, 0).toString();
        long monotonic = nanos(e.getMonotonic(), image, "monotonic");
        long boottime = nanos(e.getBoottime(), image, "boottime");
        return decide(mode, monotonic, boottime, Linux.clockNanos(Linux.CLOCK_MONOTONIC),
                Linux.clockNanos(Linux.CLOCK_BOOTTIME));
    }

    /** The decision of {@link #plan} for dumped clocks DUMPED_* and this machine's NOW_*. */
    static Optional<TimeNamespace> decide(Mode mode, long dumpedMonotonic, long dumpedBoottime, long nowMonotonic,
            long nowBoottime) {
        if (mode == Mode.NEVER || mode == Mode.AUTO && dumpedMonotonic <= nowMonotonic) {
            return Optional.empty();
        }
        return Optional.of(new TimeNamespace(dumpedMonotonic - nowMonotonic, dumpedBoottime - nowBoottime));
    }

    /**
     * The text /proc/PID/timens_offsets takes in one write: a line per clock, "CLOCK SECONDS
     * NANOSECONDS" with the nanoseconds in [0, 1e9) (a negative offset has negative seconds).
     */
    public String offsetsText() {
        return "monotonic " + line(monotonicOffsetNanos) + "\nboottime " + line(boottimeOffsetNanos) + "\n";
    }

    private static String line(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L) + " " + Math.floorMod(nanos, 1_000_000_000L);
    }

    private static long nanos(Timespec t, String image, String field) {
        if (t.getTvSec() < 0 || t.getTvSec() > Long.MAX_VALUE / 2_000_000_000L || t.getTvNsec() < 0
                || t.getTvNsec() >= 1_000_000_000L) {
            throw new BadImageException(image, 0, field + " is not a valid time (" + t.getTvSec() + " s "
                    + t.getTvNsec() + " ns)");
        }
        return t.getTvSec() * 1_000_000_000L + t.getTvNsec();
    }
}
