package dev.jcr.dump;

import dev.jcr.JcrException;
import dev.jcr.resource.TreeView;
import dev.jcr.sys.Linux;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one dump shares across its processes: the tree as a whole (every process's fds, the options),
 * drivers' dump-wide state, the steps they ask to run once every process is dumped (while the tree is
 * still frozen), the steps that undo a driver's work if the dump fails, and jcr's duplicates of the
 * tree's fds, closed when the dump ends.
 */
final class DumpScope implements AutoCloseable {

    private final TreeView tree;
    private final Map<Object, Object> shared = new HashMap<>();
    private final Map<Object, Runnable> atEnd = new LinkedHashMap<>();
    private final List<Runnable> onFailure = new ArrayList<>();
    private final List<Runnable> beforeRelease = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();

    DumpScope(TreeView tree) {
        this.tree = tree;
    }

    TreeView tree() {
        return tree;
    }

    @SuppressWarnings("unchecked")
    <T> T shared(Object key, Supplier<T> make) {
        Object v = shared.get(key);
        if (v == null) {
            v = make.get();
            shared.put(key, v);
        }
        return (T) v;
    }

    void atEnd(Object key, Runnable action) {
        atEnd.putIfAbsent(key, action);
    }

    void onFailure(Runnable undo) {
        onFailure.add(undo);
    }

    void beforeRelease(Runnable action) {
        beforeRelease.add(action);
    }

    /**
     * The dump succeeded and the tree is about to be let go: runs the drivers' release steps in the order
     * they were asked for. A failure here fails the dump (the failure steps then run).
     */
    void release() {
        List<Runnable> steps = new ArrayList<>(beforeRelease);
        beforeRelease.clear();
        steps.forEach(Runnable::run);
    }

    /** Registers jcr's fd FD, closed when the dump ends; returns it. */
    int keep(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Runs the end steps, in the order they were first asked for (more may be added meanwhile). */
    void end() {
        List<Object> done = new ArrayList<>();
        while (done.size() < atEnd.size()) {
            for (Map.Entry<Object, Runnable> e : new ArrayList<>(atEnd.entrySet())) {
                if (!done.contains(e.getKey())) {
                    done.add(e.getKey());
                    e.getValue().run();
                }
            }
        }
    }

    /** The dump failed while the tree was still frozen: undoes what drivers did, newest first, never throwing. */
    void failed() {
        for (int i = onFailure.size() - 1; i >= 0; i--) {
            try {
                onFailure.get(i).run();
            } catch (RuntimeException ignored) {
                // best effort: the failure that got us here is the one to report
            }
        }
        onFailure.clear();
    }

    @Override
    public void close() {
        for (int fd : fds) {
            try {
                Linux.close(fd);
            } catch (JcrException ignored) {
                // already closed
            }
        }
        fds.clear();
    }
}
