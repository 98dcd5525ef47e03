package dev.jcr.proc;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The sockets of one network namespace, by inode, merged from the /proc/PID/net tables. The table
 * belongs to a namespace, not a process: a tree-wide scan reads it once per namespace.
 */
public record SocketTable(long netNamespace, Map<Long, SocketInfo> byInode) {

    public SocketTable {
        byInode = Collections.unmodifiableMap(new HashMap<>(byInode));
    }

    public SocketInfo get(long inode) {
        return byInode.get(inode);
    }

    public int size() {
        return byInode.size();
    }
}
