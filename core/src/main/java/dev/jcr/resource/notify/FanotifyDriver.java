package dev.jcr.resource.notify;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FanotifyFileEntry;
import dev.jcr.image.proto.FanotifyInodeMarkEntry;
import dev.jcr.image.proto.FanotifyMarkEntry;
import dev.jcr.image.proto.FanotifyMountMarkEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.MarkType;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * fanotify groups with their marks: the group's fanotify_init flags and event-file flags, and every
 * mark with its flags, mask and ignored mask, on an inode (found again by file handle, as inotify's
 * watches are) or on a mount (by its mount point, looked up in the process's mountinfo at dump time).
 * Marks on a whole filesystem (FAN_MARK_FILESYSTEM) have no form in CRIU's image and are refused, and
 * so are unread events, as for inotify: the kernel cannot queue them again.
 */
public final class FanotifyDriver implements FileDriver {

    static final int FAN_CLOEXEC = 0x1;
    static final int FAN_NONBLOCK = 0x2;
    static final int FAN_MARK_ADD = 0x1;
    static final int FAN_MARK_MOUNT = 0x10;
    static final int FAN_MARK_IGNORED_MASK = 0x20;
    static final int FAN_MARK_IGNORED_SURV_MODIFY = 0x40;
    static final int FAN_MARK_EVICTABLE = 0x200;
    static final int FAN_MARK_IGNORE = 0x400;
    /** The mark flags fdinfo reports (and a restore gives again). */
    static final int KNOWN_MFLAGS = FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE | FAN_MARK_IGNORE;
    /** fanotify_init flags: classes, unlimited queue/marks, audit, the FAN_REPORT_* bits, CLOEXEC/NONBLOCK. */
    static final int KNOWN_INIT_FLAGS = 0x00003fff;
    private static final int AT_FDCWD = -100;

    @Override
    public ResourceKind kind() {
        return ResourceKind.FANOTIFY;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.FANOTIFY;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "init and event flags, inode marks (found again by file handle) and mount"
                + " marks with their masks and ignored masks; not filesystem marks, not with unread events queued");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String problem = problem((FdDetail.Fanotify) fd.detail());
        return problem == null ? Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd))
                : Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd) + ": " + problem + ": not supported");
    }

    /** Why GROUP cannot be dumped, or null. */
    private static String problem(FdDetail.Fanotify group) {
        for (FdDetail.FanotifyMark m : group.marks()) {
            if (m.on() == FdDetail.MarkOn.FILESYSTEM) {
                return "a mark on the whole filesystem " + (m.sdev() >>> 20) + ":" + (m.sdev() & 0xfffff)
                        + " (FAN_MARK_FILESYSTEM has no form in CRIU's image)";
            }
            if (m.on() == FdDetail.MarkOn.INODE && m.handle() == null) {
                return "a mark on inode " + m.inode() + ", whose filesystem gives no file handle to find it again";
            }
        }
        return null;
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        FdDetail.Fanotify group = (FdDetail.Fanotify) fd.detail();
        String problem = problem(group);
        if (problem != null) {
            throw new NotDumpableException(ctx.pid(), fd.label(), "fanotify has " + problem);
        }
        int unread = UnreadEvents.bytes(ctx.pid(), fd.fd());
        if (unread > 0) {
            throw new NotDumpableException(ctx.pid(), fd.label(), UnreadEvents.refusal("fanotify", unread));
        }
        ctx.addFd(fd, FdTypes.FANOTIFY, id -> {
            FanotifyFileEntry.Builder e = FanotifyFileEntry.newBuilder().setId(id).setFlags(FileEntries.fileFlags(fd))
                    .setFown(FileEntries.noOwner()).setFaflags((int) group.flags()).setEvflags((int) group.eventFlags());
            for (FdDetail.FanotifyMark m : group.marks()) {
                FanotifyMarkEntry.Builder me = FanotifyMarkEntry.newBuilder().setId(id).setMflags(m.mflags())
                        .setMask((int) m.mask()).setIgnoredMask((int) m.ignoredMask()).setSDev(m.sdev());
                if (m.on() == FdDetail.MarkOn.INODE) {
                    me.setType(MarkType.INODE).setIe(FanotifyInodeMarkEntry.newBuilder().setIIno(m.inode())
                            .setFHandle(Mounts.entry(m.handle().type(), m.handle().bytes(), null)));
                } else {
                    me.setType(MarkType.MOUNT).setMe(FanotifyMountMarkEntry.newBuilder().setMntId(m.mntId())
                            .setPath(mountPoint(ctx, m.mntId(), fd.label())));
                }
                e.addMark(me);
            }
            return FileEntry.newBuilder().setType(FdTypes.FANOTIFY).setId(id).setFfy(e).build();
        });
    }

    /** The mount point of mount MNT_ID as the dumped process sees it (its mountinfo). */
    private static String mountPoint(DumpContext ctx, int mntId, String label) {
        try {
            for (String line : Files.readAllLines(ctx.proc().dir(ctx.pid()).resolve("mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[0].equals(Integer.toString(mntId))) {
                    return Mounts.unescape(f[4]);
                }
            }
        } catch (IOException e) {
            throw new NotDumpableException(ctx.pid(), label, "cannot read its mountinfo: " + e.getMessage());
        }
        throw new NotDumpableException(ctx.pid(), label, "fanotify marks mount " + mntId + ", which its mountinfo lacks");
    }

    /**
     * Known init flags, and each mark recreatable: INODE with its inode entry and a well-formed
     * handle, MOUNT with a path that is a directory here; known mark flags; something to mark. Inode
     * marks are looked up by handle, so an object gone stops the restore before anything exists.
     */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasFfy()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is a FANOTIFY without its ffy entry");
        }
        FanotifyFileEntry g = file.getFfy();
        if ((g.getFaflags() & ~KNOWN_INIT_FLAGS) != 0) {
            throw images.bad(ImageKind.FILES, null, String.format("fanotify %d faflags 0x%x hold unknown bits 0x%x",
                    file.getId(), g.getFaflags(), g.getFaflags() & ~KNOWN_INIT_FLAGS));
        }
        List<FanotifyMarkEntry> marks = g.getMarkList();
        for (int i = 0; i < marks.size(); i++) {
            FanotifyMarkEntry m = marks.get(i);
            String field = "fanotify " + file.getId() + " mark[" + i + "]";
            if ((m.getMflags() & ~KNOWN_MFLAGS) != 0 || m.getMask() == 0 && m.getIgnoredMask() == 0) {
                throw images.bad(ImageKind.FILES, null, String.format("%s: mflags 0x%x, mask 0x%x, ignored_mask 0x%x"
                        + " mark nothing or hold unknown flags", field, m.getMflags(), m.getMask(), m.getIgnoredMask()));
            }
            if (m.getType() == MarkType.INODE) {
                if (!m.hasIe() || m.getIe().getFHandle().getBytes() < 1 || m.getIe().getFHandle().getBytes()
                        > InotifyDriver.MAX_HANDLE_BYTES || m.getIe().getFHandle().getHandleCount() * 8L
                        < m.getIe().getFHandle().getBytes()) {
                    throw images.bad(ImageKind.FILES, null, field + ".ie is missing or its f_handle is malformed");
                }
            } else if (!m.hasMe() || !m.getMe().hasPath()) {
                throw images.bad(ImageKind.FILES, null, field + ".me.path is missing (a MOUNT mark)");
            } else if (!Files.isDirectory(Path.of(m.getMe().getPath()))) {
                throw new RestoreException(Kind.CONFLICT, use + ": fanotify mark on mount " + m.getMe().getPath()
                        + ": no such directory here");
            }
        }
        images.derived(List.of(FanotifyDriver.class, "found", file.getId()), () -> {
            try (Mounts mounts = Mounts.temporary()) {
                for (FanotifyMarkEntry m : marks) {
                    if (m.getType() == MarkType.INODE) {
                        Linux.close(mounts.open(m.getSDev(), m.getIe().getFHandle(), Linux.O_PATH, marked(use, m)));
                    }
                }
            }
            return Boolean.TRUE;
        });
    }

    private static String marked(FdUse use, FanotifyMarkEntry m) {
        return use + ": fanotify mark on " + (m.getType() == MarkType.INODE ? "inode " + m.getIe().getIIno() + " on "
                + (m.getSDev() >>> 20) + ":" + (m.getSDev() & 0xfffff) : "mount " + m.getMe().getPath());
    }

    /**
     * fanotify_init with the group's flags (close-on-exec; non-blocking as the file was) and event
     * flags, then each mark: its mask added, then its ignored mask (FAN_MARK_IGNORE or the older
     * FAN_MARK_IGNORED_MASK, as it was set), with its mark flags; an inode by /proc/self/fd of the
     * object opened by handle, a mount by its mount point.
     */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        FdUse use = ctx.holders(file.getId()).isEmpty() ? new FdUse(0, -1) : ctx.holders(file.getId()).get(0);
        FanotifyFileEntry g = file.getFfy();
        int flags = (g.getFaflags() & ~FAN_NONBLOCK) | FAN_CLOEXEC | ((g.getFlags() & Linux.O_NONBLOCK) != 0 ? FAN_NONBLOCK : 0);
        int fd = ctx.keep(Linux.fanotifyInit(flags, g.getEvflags()));
        Mounts mounts = ctx.state(Mounts.class, () -> Mounts.kept(ctx::keep));
        for (FanotifyMarkEntry m : g.getMarkList()) {
            int object = -1;
            String path;
            int on = 0;
            if (m.getType() == MarkType.INODE) {
                object = mounts.open(m.getSDev(), m.getIe().getFHandle(), Linux.O_PATH, marked(use, m));
                path = "/proc/self/fd/" + object;
            } else {
                path = m.getMe().getPath();
                on = FAN_MARK_MOUNT;
            }
            try {
                int keep = m.getMflags() & (FAN_MARK_EVICTABLE | FAN_MARK_IGNORED_SURV_MODIFY);
                if (m.getMask() != 0) {
                    Linux.fanotifyMark(fd, FAN_MARK_ADD | on | (keep & FAN_MARK_EVICTABLE), m.getMask() & 0xffffffffL,
                            AT_FDCWD, path, marked(use, m));
                }
                if (m.getIgnoredMask() != 0) {
                    int ignore = (m.getMflags() & FAN_MARK_IGNORE) != 0 ? FAN_MARK_IGNORE : FAN_MARK_IGNORED_MASK;
                    Linux.fanotifyMark(fd, FAN_MARK_ADD | on | ignore | keep, m.getIgnoredMask() & 0xffffffffL, AT_FDCWD,
                            path, marked(use, m) + " (ignored mask)");
                }
            } catch (SyscallException e) {
                throw new RestoreException(Kind.IO, e.getMessage());
            } finally {
                if (object >= 0) {
                    Linux.close(object);
                }
            }
        }
        return fd;
    }
}
