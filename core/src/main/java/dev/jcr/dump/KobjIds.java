package dev.jcr.dump;

import dev.jcr.image.proto.TaskKobjIdsEntry;
import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.Namespaces;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids-PID.img numbers: processes sharing a kernel object (memory, fd table, fs info, signal
 * handlers: found with kcmp) share its id; namespaces are numbered by inode. jcr itself gets the
 * first number of each (inventory's root_ids, as CRIU records its own), so a process in jcr's
 * namespaces carries the same namespace ids as the root_ids.
 */
final class KobjIds {

    private static final int KCMP_VM = 1;
    private static final int KCMP_FILES = 2;
    private static final int KCMP_FS = 3;
    private static final int KCMP_SIGHAND = 4;
    private static final int[] TYPES = {KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND};
    /** CRIU's numbering order of namespace ids. */
    private static final NamespaceType[] NS_ORDER = {NamespaceType.PID, NamespaceType.NET, NamespaceType.IPC,
        NamespaceType.UTS, NamespaceType.TIME, NamespaceType.MNT, NamespaceType.USER, NamespaceType.CGROUP};

    private final Map<Integer, List<int[]>> byType = new HashMap<>(); // type -> [pid, id]
    private final int[] next = {0, 2, 2, 2, 2};
    private final Map<NamespaceType, Map<Long, Integer>> ns = new EnumMap<>(NamespaceType.class);
    private int nextNs = 1;
    private final TaskKobjIdsEntry root;

    KobjIds(Namespaces self) {
        TaskKobjIdsEntry.Builder b = TaskKobjIdsEntry.newBuilder().setVmId(1).setFilesId(1).setFsId(1).setSighandId(1);
        setNs(b, self);
        this.root = b.build();
    }

    TaskKobjIdsEntry root() {
        return root;
    }

    TaskKobjIdsEntry of(int pid, Namespaces namespaces) {
        int[] ids = new int[5];
        for (int type : TYPES) {
            List<int[]> known = byType.computeIfAbsent(type, k -> new ArrayList<>());
            int id = 0;
            for (int[] k : known) {
                if (same(k[0], pid, type)) {
                    id = k[1];
                    break;
                }
            }
            if (id == 0) {
                id = next[type]++;
                known.add(new int[] {pid, id});
            }
            ids[type] = id;
        }
        TaskKobjIdsEntry.Builder b = TaskKobjIdsEntry.newBuilder().setVmId(ids[KCMP_VM]).setFilesId(ids[KCMP_FILES])
                .setFsId(ids[KCMP_FS]).setSighandId(ids[KCMP_SIGHAND]);
        setNs(b, namespaces);
        return b.build();
    }

    private void setNs(TaskKobjIdsEntry.Builder b, Namespaces namespaces) {
        for (NamespaceType t : NS_ORDER) {
            long inode = namespaces.inode(t);
            if (inode < 0) {
                continue;
            }
            int id = ns.computeIfAbsent(t, k -> new HashMap<>()).computeIfAbsent(inode, k -> nextNs++);
            switch (t) {
                case PID -> b.setPidNsId(id);
                case NET -> b.setNetNsId(id);
                case IPC -> b.setIpcNsId(id);
                case UTS -> b.setUtsNsId(id);
                case TIME -> b.setTimeNsId(id);
                case MNT -> b.setMntNsId(id);
                case USER -> b.setUserNsId(id);
                case CGROUP -> b.setCgroupNsId(id);
            }
        }
    }

    private static boolean same(int pid1, int pid2, int type) {
        try {
            return Linux.syscall("kcmp", pid2, ImageSet.SYS_KCMP, pid1, pid2, type, 0, 0, 0) == 0;
        } catch (SyscallException e) {
            return false;
        }
    }
}
