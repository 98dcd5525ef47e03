package dev.jcr.proc;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kernel's own socket table of one network namespace (NETLINK_SOCK_DIAG): what /proc/net does not
 * say, such as a unix socket's peer, its pending connections, its queue lengths and its shutdown
 * state. Each family's table is asked for once, on first use, and then kept for the life of this
 * object (one check, one dump). A family's table is a {@code table(name, query)}: adding a family is a
 * query method beside {@link UnixSockets#query()}, nothing here.
 *
 * <p>The kernel answers for jcr's own network namespace only; for another one, or for a fixture tree,
 * {@link #unavailable()} says why there is no table.
 */
public interface SocketDiag {

    /** No kernel behind this table (a /proc fixture tree). */
    SocketDiag NONE = new SocketDiag() {
        @Override
        public String unavailable() {
            return "the kernel's socket table is not read for this /proc";
        }

        @Override
        public <T> T table(String family, Supplier<T> query) {
            throw new IllegalStateException(unavailable());
        }
    };

    /** Why there is no table (e.g. another network namespace), or null when there is one. */
    String unavailable();

    /** Family FAMILY's table, made by QUERY the first time it is asked for. */
    <T> T table(String family, Supplier<T> query);

    /** Every unix socket of the namespace. */
    default UnixSockets unix() {
        return table("unix", UnixSockets::query);
    }

    /** Every bound netlink socket of the namespace. */
    default NetlinkSockets netlink() {
        return table("netlink", NetlinkSockets::query);
    }

    /** The table of jcr's own network namespace, asked on demand. */
    static SocketDiag kernel() {
        Map<String, Object> tables = new HashMap<>();
        return new SocketDiag() {
            @Override
            public String unavailable() {
                return null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public synchronized <T> T table(String family, Supplier<T> query) {
                // synchronized: a tree-wide check assesses processes in parallel, and one query per family is enough
                return (T) tables.computeIfAbsent(family, k -> query.get());
            }
        };
    }

    /** The namespace NET_NS, which is not jcr's (OWN): its sockets are out of jcr's reach. */
    static SocketDiag foreign(long netNs, long own) {
        return new SocketDiag() {
            @Override
            public String unavailable() {
                return "in network namespace net:[" + netNs + "], not jcr's (net:[" + own + "]): sockets of other"
                        + " network namespaces are not supported";
            }

            @Override
            public <T> T table(String family, Supplier<T> query) {
                throw new IllegalStateException(unavailable());
            }
        };
    }
}
