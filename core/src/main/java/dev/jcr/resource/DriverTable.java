package dev.jcr.resource;

import dev.jcr.resource.device.CharDeviceDriver;
import dev.jcr.resource.device.TerminalDriver;
import dev.jcr.resource.eventfd.EventfdDriver;
import dev.jcr.resource.eventpoll.EventpollDriver;
import dev.jcr.resource.notify.FanotifyDriver;
import dev.jcr.resource.notify.InotifyDriver;
import dev.jcr.resource.memfd.MemfdDriver;
import dev.jcr.resource.anon.Refused;
import dev.jcr.resource.signalfd.SignalfdDriver;
import dev.jcr.resource.timerfd.TimerfdDriver;
import dev.jcr.resource.file.DeletedFileDriver;
import dev.jcr.resource.file.DirectoryDriver;
import dev.jcr.resource.file.RegularFileDriver;
import dev.jcr.resource.inet.TcpDriver;
import dev.jcr.resource.inet.UdpDriver;
import dev.jcr.resource.lock.FileLockDriver;
import dev.jcr.resource.memory.MemoryMappingDriver;
import dev.jcr.resource.memory.WriteTrackerDriver;
import dev.jcr.resource.netlink.NetlinkSocketDriver;
import dev.jcr.resource.socket.RefusedSocketDriver;
import dev.jcr.resource.pty.PtyDriver;
import dev.jcr.resource.unix.UnixSocketDriver;
import dev.jcr.resource.pipe.FifoDriver;
import dev.jcr.resource.pipe.PipeDriver;
import dev.jcr.resource.signal.SignalStateDriver;
import dev.jcr.resource.thread.ThreadDriver;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.proc.OpenFd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one registry of drivers, keyed by resource kind: the analyzer, the dump and the restore all ask
 * it. A kind without a driver is unsupported: the analyzer says so with a description of the
 * resource, and the support table lists it as "not supported yet". Adding support for a kind is
 * adding its driver here (for an fd kind, a {@link FileDriver}: assess, dump and restore in one class).
 *
 * <p>SUPPORTED is only said of what dump and restore both do, and that is structural: a driver of an
 * fd kind that is not a {@link FileDriver} (it cannot restore) may only say UNSUPPORTED, or the table
 * refuses it — unless it is an {@link OmittedFd}, whose fds (jcr's own) are never in an image, so there
 * is nothing to restore. Memory, threads and signal state are restored by the engine itself.
 */
public final class DriverTable {

    /** Largest deleted file whose content a dump copies into the images (a "ghost file"). */
    public static final long GHOST_LIMIT_BYTES = 1L << 20;

    private final Map<ResourceKind, ResourceDriver<?>> drivers;
    /** File drivers in registration order: the order in which drivers of one files.img type claim an entry. */
    private final List<FileDriver> fileDrivers;

    public DriverTable(List<ResourceDriver<?>> list) {
        Map<ResourceKind, ResourceDriver<?>> m = new EnumMap<>(ResourceKind.class);
        List<FileDriver> files = new ArrayList<>();
        for (ResourceDriver<?> d : list) {
            if (m.put(d.kind(), d) != null) {
                throw new IllegalArgumentException("two drivers for " + d.kind());
            }
            if (d.kind().resourceType() == OpenFd.class && !(d instanceof FileDriver) && !(d instanceof OmittedFd)
                    && d.support().verdict() != Verdict.UNSUPPORTED) {
                throw new IllegalArgumentException(d.kind() + " driver " + d.getClass().getSimpleName() + " says "
                        + d.support().verdict() + " but restores nothing: only a FileDriver may");
            }
            if (d instanceof FileDriver f) {
                files.add(f);
            }
        }
        this.drivers = Collections.unmodifiableMap(m);
        this.fileDrivers = List.copyOf(files);
    }

    /** The drivers of the first dump/restore engine version, with the default ghost-file limit (1 MiB, as CRIU). */
    public static DriverTable standard() {
        return STANDARD;
    }

    /**
     * The standard drivers with GHOST_LIMIT bytes as the largest deleted file a dump saves
     * ({@code --ghost-limit}): check and dump given the same limit give the same answers.
     */
    public static DriverTable standard(long ghostLimit) {
        if (ghostLimit < 0) {
            throw new IllegalArgumentException("negative ghost-file limit " + ghostLimit);
        }
        return ghostLimit == GHOST_LIMIT_BYTES ? STANDARD : new DriverTable(drivers(ghostLimit));
    }

    private static final DriverTable STANDARD = new DriverTable(drivers(GHOST_LIMIT_BYTES));

    // Drivers of one files.img type claim entries in this order: the most specific first (terminals by
    // name, deleted files by their ghost image, directories and devices by mode), regular files last.
    private static List<ResourceDriver<?>> drivers(long ghostLimit) {
        List<ResourceDriver<?>> all = new ArrayList<>(List.of(
                new MemoryMappingDriver(ghostLimit),
                new ThreadDriver(),
                new SignalStateDriver(),
                new FileLockDriver(),
                new TerminalDriver(),
                new DeletedFileDriver(ghostLimit),
                new DirectoryDriver(),
                new CharDeviceDriver(),
                new RegularFileDriver(),
                new PipeDriver(),
                new FifoDriver(),
                new EventfdDriver(),
                new EventpollDriver(),
                new SignalfdDriver(),
                new TimerfdDriver(),
                new InotifyDriver(),
                new FanotifyDriver(),
                new MemfdDriver(),
                new TcpDriver(),
                new UdpDriver(),
                new UnixSocketDriver(),
                new NetlinkSocketDriver(),
                RefusedSocketDriver.packet(),
                RefusedSocketDriver.raw(),
                new PtyDriver(),
                new WriteTrackerDriver()));
        // kinds refused with a reason of their own
        all.addAll(Refused.all());
        return all;
    }

    /**
     * The driver that recreates files.img entry FILE: the first registered driver of its type that
     * claims it; empty when none does (the restore then refuses before creating anything).
     */
    public Optional<FileDriver> forFile(FileEntry file, FileImages images) {
        for (FileDriver d : fileDrivers) {
            if (d.fileType() == file.getType() && d.claims(file, images)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** The driver of KIND, typed by the record it assesses (TYPE must be the kind's resource type). */
    @SuppressWarnings("unchecked")
    public <R> Optional<ResourceDriver<R>> get(ResourceKind kind, Class<R> type) {
        if (kind.resourceType() != type) {
            throw new IllegalArgumentException(kind + " drivers assess " + kind.resourceType().getSimpleName()
                    + ", not " + type.getSimpleName());
        }
        return Optional.ofNullable((ResourceDriver<R>) drivers.get(kind));
    }

    /** The support table: one row per resource kind (except PROCESS), in declaration order. */
    public Map<ResourceKind, Support> supportTable() {
        Map<ResourceKind, Support> rows = new LinkedHashMap<>();
        for (ResourceKind k : ResourceKind.values()) {
            if (k == ResourceKind.PROCESS) {
                continue;
            }
            ResourceDriver<?> d = drivers.get(k);
            rows.put(k, d != null ? d.support() : new Support(Verdict.UNSUPPORTED, "not supported yet"));
        }
        return rows;
    }

    /** The support table as Markdown rows, the form docs and README carry (a test compares them). */
    public String supportMarkdown() {
        StringBuilder s = new StringBuilder("| resource | verdict | condition |\n|---|---|---|\n");
        supportTable().forEach((k, v) -> s.append("| ").append(k.words()).append(" | ")
                .append(v.verdict()).append(" | ").append(v.condition()).append(" |\n"));
        return s.toString();
    }
}
