package dev.jcr.resource;

import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FownEntry;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import dev.jcr.sys.FileCalls;

/**
 * The F_SETOWN owner of an open file description (who gets its SIGIO, SIGURG and lease-break signals,
 * with which signal, as which user): a property of every kind of fd, so it is handled here, not by
 * each driver. The dump records it in the fown field of the file's entry, as CRIU does; the restore
 * gives it back once every process and thread exists. An owner outside the dumped tree would be some
 * other process after the restore: where the owner acts (O_ASYNC, a lease), the check refuses it.
 */
public final class FileOwners {

    public static final int F_OWNER_TID = 0;
    public static final int F_OWNER_PID = 1;
    public static final int F_OWNER_PGRP = 2;

    private FileOwners() {
    }

    /**
     * A, FD's answer inside the dumped TREE, unless FD's owner (read where it acts: O_ASYNC or a lease)
     * is a process outside it: then UNSUPPORTED, since after the restore that pid would be another
     * process, or none.
     */
    public static Assessment inTree(Assessment a, OpenFd fd, TreeView tree) {
        FileCalls.Owner o = fd.owner();
        if (o == null || o.pid() == 0 || a.verdict() != Verdict.SUPPORTED) {
            return a;
        }
        long process = process(o, tree.proc());
        if (tree.contains(process)) {
            return a;
        }
        return Assessment.unsupported(a.resource(), a.kind(), a.reason() + ": its signals (F_SETOWN) go to "
                + describe(o) + (process != o.pid() ? " of " : ", ") + tree.describe(process)
                + ", which is not part of the dumped tree: not supported");
    }

    /** "process 123", "thread 124", "process group 120". */
    public static String describe(FileCalls.Owner o) {
        return switch (o.pidType()) {
            case F_OWNER_TID -> "thread " + o.pid();
            case F_OWNER_PGRP -> "process group " + o.pid();
            default -> "process " + o.pid();
        };
    }

    /** The process an owner needs restored: the thread's process, the group's leader, or the process itself. */
    public static long process(FileCalls.Owner o, ProcFs fs) {
        return o.pidType() == F_OWNER_TID ? fs.processOf(o.pid()) : o.pid();
    }

    /** O as files.img writes it. */
    public static FownEntry entry(FileCalls.Owner o) {
        return FownEntry.newBuilder().setUid(o.uid()).setEuid(o.euid()).setSignum(o.signum()).setPidType(o.pidType())
                .setPid(o.pid()).build();
    }

    /** The owner an entry records (all zero: none). */
    public static FileCalls.Owner of(FownEntry e) {
        return new FileCalls.Owner(e.getPidType(), e.getPid(), e.getUid(), e.getEuid(), e.getSignum());
    }

    /** FILE with OWNER in the fown field of its kind-specific entry (every kind CRIU gives an owner has one). */
    public static FileEntry withOwner(FileEntry file, FileCalls.Owner owner) {
        FileEntry.Builder b = file.toBuilder();
        for (var f : file.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            var sub = (com.google.protobuf.Message) f.getValue();
            var fown = sub.getDescriptorForType().findFieldByName("fown");
            if (fown != null) {
                b.setField(f.getKey(), sub.toBuilder().setField(fown, entry(owner)).build());
            }
        }
        return b.build();
    }

    /**
     * The owner FILE's entry records, or null when it has none. An entry without a fown field of its
     * own that points at a path entry (a FIFO's regf_id) has it there, as CRIU keeps it.
     */
    public static FileCalls.Owner ownerOf(FileEntry file, FileImages images) {
        Object v = field(file, "fown");
        if (v == null && pathEntry(file, images) != null) {
            v = field(pathEntry(file, images), "fown");
        }
        return v instanceof FownEntry e ? of(e) : null;
    }

    /** The open flags FILE's entry records (or its path entry's, see {@link #ownerOf}), or 0 when none. */
    public static int flagsOf(FileEntry file, FileImages images) {
        Object v = field(file, "flags");
        if (v == null && pathEntry(file, images) != null) {
            v = field(pathEntry(file, images), "flags");
        }
        return v instanceof Integer i ? i : 0;
    }

    private static FileEntry pathEntry(FileEntry file, FileImages images) {
        Object regf = field(file, "regf_id");
        return regf instanceof Integer id ? images.file(id) : null;
    }

    private static Object field(FileEntry file, String name) {
        for (var f : file.getAllFields().entrySet()) {
            if (f.getValue() instanceof com.google.protobuf.Message sub) {
                var d = sub.getDescriptorForType().findFieldByName(name);
                if (d != null && sub.hasField(d)) {
                    return sub.getField(d);
                }
            }
        }
        return null;
    }
}
