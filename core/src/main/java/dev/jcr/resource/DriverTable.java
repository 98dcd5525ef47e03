package dev.jcr.resource;

import dev.jcr.resource.device.CharDeviceDriver;
import dev.jcr.resource.device.TerminalDriver;
import dev.jcr.resource.eventfd.EventfdDriver;
import dev.jcr.resource.file.DeletedFileDriver;
import dev.jcr.resource.file.DirectoryDriver;
import dev.jcr.resource.file.RegularFileDriver;
import dev.jcr.resource.memory.MemoryMappingDriver;
import dev.jcr.resource.pipe.FifoDriver;
import dev.jcr.resource.pipe.PipeDriver;
import dev.jcr.resource.signal.SignalStateDriver;
import dev.jcr.resource.thread.ThreadDriver;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of drivers, keyed by resource kind. A kind without a driver is unsupported: the
 * analyzer says so with a description of the resource, and the support table lists it as
 * "not supported yet". Adding support for a kind is adding its driver here.
 */
public final class DriverTable {

    /** Largest deleted file whose content a dump copies into the images (a "ghost file"). */
    public static final long GHOST_LIMIT_BYTES = 1L << 20;

    private final Map<ResourceKind, ResourceDriver<?>> drivers;

    public DriverTable(List<ResourceDriver<?>> list) {
        Map<ResourceKind, ResourceDriver<?>> m = new EnumMap<>(ResourceKind.class);
        for (ResourceDriver<?> d : list) {
            if (m.put(d.kind(), d) != null) {
                throw new IllegalArgumentException("two drivers for " + d.kind());
            }
        }
        this.drivers = Collections.unmodifiableMap(m);
    }

    /** The drivers of the first dump/restore engine version. */
    public static DriverTable standard() {
        return new DriverTable(List.of(
                new MemoryMappingDriver(GHOST_LIMIT_BYTES),
                new ThreadDriver(),
                new SignalStateDriver(),
                new RegularFileDriver(),
                new DirectoryDriver(),
                new DeletedFileDriver(GHOST_LIMIT_BYTES),
                new PipeDriver(),
                new FifoDriver(),
                new EventfdDriver(),
                new CharDeviceDriver(),
                new TerminalDriver()));
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
