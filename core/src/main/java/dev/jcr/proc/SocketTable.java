package dev.jcr.proc;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The sockets of one network namespace, by inode, merged from the /proc/PID/net tables, and the
 * kernel's socket diagnostics of that namespace ({@link SocketDiag}: peers, queues, pending
 * connections), asked on demand. The table belongs to a namespace, not a process: a tree-wide scan
 * reads it once per namespace.
 */
public record SocketTable(long netNamespace, Map<Long, SocketInfo> byInode, SocketDiag diag) {

    public SocketTable {
        byInode = Collections.unmodifiableMap(new HashMap<>(byInode));
    }

    /** A table without the kernel's socket diagnostics (e.g. read from a fixture tree). */
    public SocketTable(long netNamespace, Map<Long, SocketInfo> byInode) {
        this(netNamespace, byInode, SocketDiag.NONE);
    }

    public SocketInfo get(long inode) {
        return byInode.get(inode);
    }

    public int size() {
        return byInode.size();
    }
}
