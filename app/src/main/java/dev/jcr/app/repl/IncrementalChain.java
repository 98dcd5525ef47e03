package dev.jcr.app.repl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chain behind {@code every --incremental}: each run dumps with write tracking armed
 * ({@code --track-mem}) and, after the first, against the previous run's directory
 * ({@code --prev-images-dir}), so it copies only the pages written since; every {@code maxLinks}
 * runs a full dump starts a new chain. Every run is a restorable point; keeping the K newest means
 * keeping their parents too, so only directories that are neither among the K newest nor a parent
 * (however far up) of one of them may be pruned.
 */
final class IncrementalChain {

    static final int DEFAULT_LINKS = 10;

    private final int maxLinks;
    private final Map<Path, Path> parentOf = new HashMap<>();
    private Path last;
    private int links;

    IncrementalChain(int maxLinks) {
        this.maxLinks = maxLinks;
    }

    /** The words this run's dump command gets for writing DIR: tracking, and the parent when continuing a chain. */
    List<String> words(Path dir) {
        if (continues()) {
            // the parent link is relative to the new directory itself, as CRIU makes it
            return List.of("--track-mem", "--prev-images-dir", dir.relativize(last).toString());
        }
        return List.of("--track-mem");
    }

    private boolean continues() {
        return last != null && links < maxLinks;
    }

    /** Records that the run that wrote DIR succeeded (with the words {@link #words} gave it). */
    void succeeded(Path dir) {
        if (continues()) {
            parentOf.put(dir, last);
            links++;
        } else {
            links = 1;
        }
        last = dir;
    }

    /** The parent of DIR in this chain, or null for the first dump of a chain. */
    Path parent(Path dir) {
        return parentOf.get(dir);
    }

    /** Of KEPT (the runs' directories, oldest first), those that may be deleted when K are to be kept. */
    List<Path> prunable(List<Path> kept, int k) {
        Set<Path> needed = new HashSet<>();
        for (Path p : kept.subList(Math.max(0, kept.size() - k), kept.size())) {
            for (Path q = p; q != null && needed.add(q); q = parentOf.get(q)) {
                // the point itself and every parent it reads pages from
            }
        }
        List<Path> out = new ArrayList<>();
        for (Path p : kept) {
            if (!needed.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
