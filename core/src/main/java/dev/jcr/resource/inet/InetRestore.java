package dev.jcr.resource.inet;

import dev.jcr.resource.RestoreContext;
import dev.jcr.sys.Sockets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the TCP and UDP drivers finish together, once per restore, right before the tree resumes: the
 * sockets were bound with SO_REUSEADDR on (so that a port's sockets could be bound in any order) and
 * get their dumped value back; connections restored in repair mode leave it (the kernel then sends a
 * window probe, waking a peer that waits on a zero window); the connections locked while they were
 * restored are let go, before the probes, so that those reach the peers.
 */
final class InetRestore {

    private record Bound(int fd, boolean reuseaddr, boolean repair) {
    }

    private final List<Bound> sockets = new ArrayList<>();
    private final List<ConnectionLock.Connection> locked = new ArrayList<>();

    private InetRestore() {
    }

    /** This restore's instance, made on first use (it registers its step before the tree resumes). */
    static InetRestore of(RestoreContext ctx) {
        return ctx.state(InetRestore.class, () -> {
            InetRestore r = new InetRestore();
            ctx.beforeResume(r::resume);
            return r;
        });
    }

    /** Socket FD (jcr's) gets SO_REUSEADDR = REUSEADDR before the tree resumes, after leaving repair mode when REPAIR. */
    void bound(int fd, boolean reuseaddr, boolean repair) {
        sockets.add(new Bound(fd, reuseaddr, repair));
    }

    /** Locks CONNECTIONS until the tree resumes (once: later calls add nothing). */
    void lock(Collection<ConnectionLock.Connection> connections) {
        if (!locked.isEmpty() || connections.isEmpty() || ConnectionLock.unavailable() != null) {
            return;
        }
        ConnectionLock.lock(connections, ConnectionLock.WHILE_DUMPING);
        locked.addAll(connections);
    }

    private void resume() {
        ConnectionLock.unlock(locked);
        locked.clear();
        for (Bound b : sockets) {
            if (b.repair()) {
                TcpRepair.repair(b.fd(), TcpRepair.REPAIR_OFF);
            }
            // leaving repair mode clears SO_REUSEADDR: set in either case
            Sockets.setInt(b.fd(), Sockets.SOL_SOCKET, Sockets.SO_REUSEADDR, b.reuseaddr() ? 1 : 0);
        }
        sockets.clear();
    }
}
