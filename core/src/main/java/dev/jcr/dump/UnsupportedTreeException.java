package dev.jcr.dump;

import dev.jcr.JcrException;
import java.util.List;

/**
 * The tree holds resources jcr cannot dump (or only with an option not given). Thrown before anything
 * is frozen, with every blocker listed as {@code jcr check} shows it.
 */
public final class UnsupportedTreeException extends JcrException {

    private final int root;
    private final List<String> blockers;

    public UnsupportedTreeException(int root, List<String> blockers) {
        super("cannot dump process " + root + ": " + String.join("; ", blockers));
        this.root = root;
        this.blockers = List.copyOf(blockers);
    }

    public int root() {
        return root;
    }

    /** One sentence per blocker: "pid 1234 (comm): fd 7: inotify with 2 watches: not supported yet". */
    public List<String> blockers() {
        return blockers;
    }

    @Override
    public Kind kind() {
        return Kind.UNSUPPORTED;
    }
}
