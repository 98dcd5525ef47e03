package dev.jcr.resource.inet;

import dev.jcr.resource.DumpContext;
import dev.jcr.resource.Options;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The established connections of one dump, locked together before the first one is read ({@link
 * ConnectionLock}): both ends of a connection inside the tree are then read in the same still state,
 * and a peer outside sees lost packets, never an acknowledgement of bytes the image lacks. When the
 * dump succeeds the lock is lifted before the tree runs on; with --kill the connections are put back in
 * repair mode just before the kill (so that closing them sends nothing) and stay locked until they are
 * restored ({@link ConnectionLock#UNTIL_RESTORED} at most). A failed dump lifts the lock.
 */
final class TcpDump {

    private final Set<ConnectionLock.Connection> connections = new LinkedHashSet<>();
    /** jcr's duplicates of the connections read, for the repair mode before a kill. */
    private final List<Integer> read = new ArrayList<>();

    private TcpDump() {
    }

    /** This dump's instance; the first call locks every established connection of the tree. */
    static TcpDump of(DumpContext ctx) {
        return ctx.shared(TcpDump.class, () -> {
            TcpDump d = new TcpDump();
            for (InetTree.Held h : InetTree.of(ctx.tree()).established()) {
                d.connections.add(h.connection());
            }
            ConnectionLock.lock(d.connections, ConnectionLock.WHILE_DUMPING);
            ctx.onFailure(() -> ConnectionLock.unlock(d.connections));
            boolean kill = ctx.killAfter();
            ctx.beforeRelease(() -> {
                if (kill) {
                    d.read.forEach(fd -> TcpRepair.repair(fd, TcpRepair.REPAIR_ON));
                    ConnectionLock.relock(d.connections, ConnectionLock.UNTIL_RESTORED);
                } else {
                    ConnectionLock.unlock(d.connections);
                }
            });
            return d;
        });
    }

    /** Whether the user asked for connections to be dumped as closed. */
    static boolean closing(DumpContext ctx) {
        return ctx.option(Options.TCP_CLOSE);
    }

    /** LOCAL (jcr's duplicate) was read: with --kill it enters repair mode before the kill. */
    void read(int local) {
        read.add(local);
    }
}
