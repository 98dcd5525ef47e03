package dev.jcr.resource.timerfd;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InventoryEntry;
import dev.jcr.image.proto.TimerfdEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Linux;
import java.util.List;
import java.util.Set;

/**
 * timerfd: clock, flags, interval, remaining time and expirations not yet read, all in fdinfo. A
 * relative timer is re-armed with its remaining time counted from the restore (the process saw no
 * time pass while it did not exist). An absolute one (TFD_TIMER_ABSTIME, e.g. "at 12:00") keeps its
 * deadline on its clock: CRIU's image holds only the remaining time, so the restore takes away the
 * time that passed since the dump (inventory dump_uptime against CLOCK_BOOTTIME now) and arms it
 * absolute again, with TFD_TIMER_CANCEL_ON_SET if it had it; a deadline that passed meanwhile fires
 * at once (with the periods missed counted as expirations, as the kernel does). Unread expirations
 * are put back with TFD_IOC_SET_TICKS.
 */
public final class TimerfdDriver implements FileDriver {

    static final int TFD_TIMER_ABSTIME = 1;
    static final int TFD_TIMER_CANCEL_ON_SET = 2;
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_BOOTTIME = 7;
    private static final int CLOCK_REALTIME_ALARM = 8;
    private static final Set<Integer> CLOCKS = Set.of(CLOCK_REALTIME, 1 /* MONOTONIC */, CLOCK_BOOTTIME,
            CLOCK_REALTIME_ALARM, 9 /* BOOTTIME_ALARM */);
    private static final long NANOS = 1_000_000_000L;

    @Override
    public ResourceKind kind() {
        return ResourceKind.TIMERFD;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.TIMERFD;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "clock, flags, interval, remaining time (absolute timers keep their"
                + " deadline) and unread expirations");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    /** CRIU's timerfd_entry: the remaining time (vsec/vnsec) is relative, also for an absolute timer. */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Timerfd t = (FdDetail.Timerfd) fd.detail();
        ctx.addFd(fd, FdTypes.TIMERFD, id -> FileEntry.newBuilder().setType(FdTypes.TIMERFD).setId(id)
                .setTfd(TimerfdEntry.newBuilder().setId(id).setFlags(FileEntries.fileFlags(fd))
                        .setFown(FileEntries.noOwner()).setClockid(t.clockId()).setTicks(t.ticks())
                        .setSettimeFlags(t.settimeFlags())
                        .setVsec(t.valueNanos() / NANOS).setVnsec(t.valueNanos() % NANOS)
                        .setIsec(t.intervalNanos() / NANOS).setInsec(t.intervalNanos() % NANOS))
                .build());
    }

    /** Every field the restore hands to the kernel, named when it is out of range. */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasTfd()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a TIMERFD without its tfd entry");
        }
        TimerfdEntry t = file.getTfd();
        String where = "timerfd " + file.getId() + " (" + use + ") ";
        if (!CLOCKS.contains(t.getClockid())) {
            throw images.bad(ImageKind.FILES, null, where + "tfd.clockid " + t.getClockid() + " is no timerfd clock");
        }
        if ((t.getSettimeFlags() & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0) {
            throw images.bad(ImageKind.FILES, null, where + "tfd.settime_flags 0" + Integer.toOctalString(t.getSettimeFlags())
                    + " holds unknown flags");
        }
        if ((t.getSettimeFlags() & TFD_TIMER_CANCEL_ON_SET) != 0 && ((t.getSettimeFlags() & TFD_TIMER_ABSTIME) == 0
                || t.getClockid() != CLOCK_REALTIME && t.getClockid() != CLOCK_REALTIME_ALARM)) {
            throw images.bad(ImageKind.FILES, null, where + "tfd.settime_flags: TFD_TIMER_CANCEL_ON_SET needs an absolute"
                    + " CLOCK_REALTIME timer");
        }
        checkTime(images, where, "vsec", "vnsec", t.getVsec(), t.getVnsec());
        checkTime(images, where, "isec", "insec", t.getIsec(), t.getInsec());
        if (t.getTicks() < 0) {
            throw images.bad(ImageKind.FILES, null, where + "tfd.ticks " + Long.toUnsignedString(t.getTicks())
                    + " is out of range");
        }
    }

    private static void checkTime(FileImages images, String where, String sec, String nsec, long s, long ns) {
        // seconds below 2^33 (about 272 years) keep seconds * 10^9 + nanoseconds within a long
        if (s < 0 || s >= 1L << 33) {
            throw images.bad(ImageKind.FILES, null, where + "tfd." + sec + " " + Long.toUnsignedString(s) + " is out of range");
        }
        if (ns < 0 || ns >= NANOS) {
            throw images.bad(ImageKind.FILES, null, where + "tfd." + nsec + " " + Long.toUnsignedString(ns)
                    + " is not below one second");
        }
    }

    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        TimerfdEntry t = file.getTfd();
        int fd = ctx.keep(Linux.timerfdCreate(t.getClockid(), t.getFlags() & Linux.O_NONBLOCK | Linux.O_CLOEXEC));
        long value = t.getVsec() * NANOS + t.getVnsec();
        long interval = t.getIsec() * NANOS + t.getInsec();
        if (value != 0) {
            if ((t.getSettimeFlags() & TFD_TIMER_ABSTIME) != 0) {
                long deadline = Linux.clockNanos(t.getClockid()) + value - sinceDump(ctx);
                Linux.timerfdSettime(fd, t.getSettimeFlags(), interval, Math.max(deadline, 1));
            } else {
                Linux.timerfdSettime(fd, 0, interval, value);
            }
        }
        if (t.getTicks() != 0) {
            // after settime, which starts the count from zero
            Linux.timerfdSetTicks(fd, t.getTicks());
        }
        return fd;
    }

    /**
     * Nanoseconds since the dump, by CLOCK_BOOTTIME against the inventory's dump_uptime (µs); 0 when
     * the images do not say or the clock is behind it (another boot: nothing better is known).
     */
    static long sinceDump(FileImages images) {
        return images.derived(TimerfdDriver.class, () -> {
            List<ImageEntry> inv = images.read(ImageKind.INVENTORY, null);
            if (inv.isEmpty() || !inv.get(0).as(InventoryEntry.class).hasDumpUptime()) {
                return 0L;
            }
            long since = Linux.clockNanos(CLOCK_BOOTTIME) - inv.get(0).as(InventoryEntry.class).getDumpUptime() * 1000;
            return Math.max(0L, since);
        });
    }
}
