package dev.jcr.resource;

import dev.jcr.proc.ProcessInfo;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes of one tree that share a kernel table they could only share as threads: an address space
 * (CLONE_VM, vfork), an fd table (CLONE_FILES) or fs information (CLONE_FS: cwd, root, umask) without
 * CLONE_THREAD. jcr recreates each process with tables of its own, so such a tree would come back with
 * the sharing gone (an fd opened by one would no longer appear in the other): it is refused by the
 * check, the answer both {@code jcr check} and {@code jcr dump} give. Found with kcmp(2), which tells
 * whether two processes hold the same kernel object.
 */
final class SharedTables {

    private static final int SYS_KCMP = 312;

    private enum Table {
        VM(1, "address space", "CLONE_VM"),
        FILES(2, "fd table", "CLONE_FILES"),
        FS(3, "fs information (cwd, root, umask)", "CLONE_FS");

        final int kcmpType;
        final String words;
        final String flag;

        Table(int kcmpType, String words, String flag) {
            this.kcmpType = kcmpType;
            this.words = words;
            this.flag = flag;
        }
    }

    private SharedTables() {
    }

    /** One UNSUPPORTED assessment per process of PROCESSES that shares a table with an earlier one, keyed by its pid. */
    static List<Shared> of(List<ProcessInfo> processes) {
        List<Shared> out = new ArrayList<>();
        for (Table t : Table.values()) {
            List<ProcessInfo> owners = new ArrayList<>(); // one process per distinct table seen so far
            for (ProcessInfo p : processes) {
                if (p.isZombie() || p.kernelThread()) {
                    continue;
                }
                ProcessInfo owner = null;
                for (ProcessInfo o : owners) {
                    if (same(o.pid(), p.pid(), t.kcmpType)) {
                        owner = o;
                        break;
                    }
                }
                if (owner == null) {
                    owners.add(p);
                } else {
                    out.add(new Shared(p.pid(), Assessment.unsupported("process", ResourceKind.PROCESS, "shares its "
                            + t.words + " with pid " + owner.pid() + " (" + t.flag + " without CLONE_THREAD):"
                            + " not supported yet")));
                }
            }
        }
        return out;
    }

    /** An assessment of process PID. */
    record Shared(long pid, Assessment assessment) {
    }

    private static boolean same(long pid1, long pid2, int type) {
        try {
            return Linux.syscall("kcmp", pid1, SYS_KCMP, pid1, pid2, type, 0, 0, 0) == 0;
        } catch (SyscallException e) {
            return false; // gone, or not ours to compare: the rest of the check speaks for it
        }
    }
}
