package dev.jcr.dump;

import com.google.protobuf.Message;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Small images held in memory while the tree is frozen and written once it runs again: creating a
 * few dozen files can stall for hundreds of milliseconds when the disk is busy, and that time would
 * count as frozen. (Their total size is a few KiB per process; the pages go to disk directly.)
 */
final class DeferredImages {

    private record Pending(ImageKind kind, Object id, List<? extends Message> entries) {
    }

    private final List<Pending> pending = new ArrayList<>();

    void single(ImageKind kind, Object id, Message entry) {
        pending.add(new Pending(kind, id, List.of(entry)));
    }

    void all(ImageKind kind, Object id, List<? extends Message> entries) {
        pending.add(new Pending(kind, id, List.copyOf(entries)));
    }

    void writeTo(ImageDirWriter dir) {
        for (Pending p : pending) {
            dir.writeAll(p.kind(), p.id(), p.entries());
        }
        pending.clear();
    }
}
