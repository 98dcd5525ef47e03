package dev.jcr.resource;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.resource.eventfd.EventfdRestore;
import dev.jcr.resource.file.RegularFileRestore;
import dev.jcr.resource.pipe.FifoRestore;
import dev.jcr.resource.pipe.PipeRestore;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The restore side of the driver table: for each fd type, the driver (the same class that assesses
 * and dumps the kind) that recreates it. A type without one makes the restore refuse before it
 * creates anything.
 */
public final class RestoreTable {

    private final Map<FdTypes, FileRestorer> restorers = new EnumMap<>(FdTypes.class);

    public RestoreTable(List<FileRestorer> list) {
        for (FileRestorer r : list) {
            if (restorers.put(r.type(), r) != null) {
                throw new IllegalArgumentException("two restorers for " + r.type());
            }
        }
    }

    public static RestoreTable standard() {
        return new RestoreTable(List.of(new RegularFileRestore(), new PipeRestore(), new FifoRestore(),
                new EventfdRestore()));
    }

    public Optional<FileRestorer> forType(FdTypes type) {
        return Optional.ofNullable(restorers.get(type));
    }
}
