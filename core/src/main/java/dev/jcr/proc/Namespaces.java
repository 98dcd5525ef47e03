package dev.jcr.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace inodes of a process (readlink /proc/PID/ns/X gives "X:[INODE]"). A type the kernel
 * does not offer (e.g. time on an old kernel) is simply absent.
 */
public record Namespaces(Map<NamespaceType, Long> inodes) {

    public Namespaces {
        EnumMap<NamespaceType, Long> copy = new EnumMap<>(NamespaceType.class);
        copy.putAll(inodes);
        inodes = Collections.unmodifiableMap(copy);
    }

    /** The inode of namespace TYPE, or -1 when unknown. */
    public long inode(NamespaceType type) {
        return inodes.getOrDefault(type, -1L);
    }

    /** The types in which this process and OTHER are in different namespaces (unknown ones skipped). */
    public List<NamespaceType> differingFrom(Namespaces other) {
        List<NamespaceType> out = new ArrayList<>();
        for (Map.Entry<NamespaceType, Long> e : inodes.entrySet()) {
            Long theirs = other.inodes.get(e.getKey());
            if (theirs != null && !theirs.equals(e.getValue())) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
