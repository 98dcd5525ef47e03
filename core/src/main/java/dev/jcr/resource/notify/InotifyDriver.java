package dev.jcr.resource.notify;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FhEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InotifyFileEntry;
import dev.jcr.image.proto.InotifyWdEntry;
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
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * inotify instances with every watch: its watch descriptor, event mask and watched object. The kernel
 * names the object by inode, device and a file handle (fdinfo); the dump keeps all three (CRIU's
 * inotify_file_entry with inline inotify_wd_entry items), and the restore finds the object again by
 * its handle (open_by_handle_at, root's CAP_DAC_READ_SEARCH), never by a path that may name something
 * else by then. A watched object that is gone stops the restore at plan time, naming it.
 *
 * <p>A program keeps its watch descriptors (its table from wd to what it watches), so they must be the
 * same after the restore. inotify hands them out in increasing order from a cursor; before adding
 * each watch, in increasing wd order, the restore sets that cursor to the watch's own wd
 * (INOTIFY_IOC_SETNEXTWD, made for checkpoint/restore), so gaps left by removed watches stay gaps.
 * The next wd the program gets after the restore is one past its largest, where the dumped kernel
 * might have continued from a higher cursor: both are numbers the program has no live watch under.
 *
 * <p>Events queued at dump time: the kernel cannot queue an event again, so a restore would lose them.
 * The dump refuses an instance with unread events (measured with FIONREAD, without reading them) and
 * says so; the program reads them within moments, and a dump a moment later succeeds.
 */
public final class InotifyDriver implements FileDriver {

    /** Event bits and the flags the kernel keeps with a watch (IN_EXCL_UNLINK, IN_ONESHOT); fdinfo prints no others. */
    static final int IN_ALL_EVENTS = 0xfff;
    static final int IN_EXCL_UNLINK = 0x04000000;
    static final int IN_ONESHOT = 0x80000000;
    static final int KNOWN_MASK = IN_ALL_EVENTS | IN_EXCL_UNLINK | IN_ONESHOT;
    private static final int IN_CLOEXEC = 0x80000;
    /** MAX_HANDLE_SZ of the kernel. */
    static final int MAX_HANDLE_BYTES = 128;

    @Override
    public ResourceKind kind() {
        return ResourceKind.INOTIFY;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.INOTIFY;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "every watch with its mask and the same watch descriptor, the watched"
                + " object found again by file handle; not with unread events queued (the dump refuses them)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        for (FdDetail.InotifyWatch w : ((FdDetail.Inotify) fd.detail()).watches()) {
            if (w.handle() == null) {
                return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd) + ": watch " + w.wd() + " on "
                        + w.describe() + ": its filesystem gives no file handle to find it again: not supported");
            }
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        List<FdDetail.InotifyWatch> watches = new ArrayList<>(((FdDetail.Inotify) fd.detail()).watches());
        watches.sort(Comparator.comparingInt(FdDetail.InotifyWatch::wd));
        for (FdDetail.InotifyWatch w : watches) {
            if (w.handle() == null) {
                throw new NotDumpableException(ctx.pid(), fd.label(), "inotify watch " + w.wd() + " on " + w.describe()
                        + ": its filesystem gives no file handle");
            }
        }
        int unread = UnreadEvents.bytes(ctx.pid(), fd.fd());
        if (unread > 0) {
            throw new NotDumpableException(ctx.pid(), fd.label(), UnreadEvents.refusal("inotify", unread));
        }
        ctx.addFd(fd, FdTypes.INOTIFY, id -> {
            InotifyFileEntry.Builder e = InotifyFileEntry.newBuilder().setId(id).setFlags(FileEntries.fileFlags(fd))
                    .setFown(FileEntries.noOwner());
            for (FdDetail.InotifyWatch w : watches) {
                e.addWd(InotifyWdEntry.newBuilder().setId(id).setIIno(w.inode()).setMask((int) w.mask())
                        .setIgnoredMask((int) w.ignoredMask()).setSDev(w.sdev()).setWd(w.wd())
                        .setFHandle(Mounts.entry(w.handle().type(), w.handle().bytes(), w.path())));
            }
            return FileEntry.newBuilder().setType(FdTypes.INOTIFY).setId(id).setIfy(e).build();
        });
    }

    /**
     * Every watch recreatable as it was: a wd in 1..INT_MAX, once; one watch per object (the kernel
     * merges two); a mask with at least one event and nothing but known bits, no ignored mask
     * (inotify has none); a well-formed file handle. Then each object is looked up by its handle, so a
     * watched object that is gone stops the restore before anything exists.
     */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        List<InotifyWdEntry> ws = watches(file, use, images);
        images.derived(List.of(InotifyDriver.class, "found", file.getId()), () -> {
            try (Mounts mounts = Mounts.temporary()) {
                for (InotifyWdEntry w : ws) {
                    Linux.close(mounts.open(w.getSDev(), w.getFHandle(), Linux.O_PATH, watched(use, w)));
                }
            }
            return Boolean.TRUE;
        });
    }

    /** The watches of FILE by increasing wd, validated once per restore. */
    private static List<InotifyWdEntry> watches(FileEntry file, FdUse use, FileImages images) {
        return images.derived(List.of(InotifyDriver.class, file.getId()), () -> {
            if (!file.hasIfy()) {
                throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is an INOTIFY without its ify entry");
            }
            List<InotifyWdEntry> ws = new ArrayList<>(file.getIfy().getWdList());
            ws.sort(Comparator.comparingInt(InotifyWdEntry::getWd));
            Set<Integer> wds = new HashSet<>();
            Set<List<Long>> objects = new HashSet<>();
            for (int i = 0; i < ws.size(); i++) {
                InotifyWdEntry w = ws.get(i);
                String field = "inotify " + file.getId() + " wd[" + i + "]";
                if (w.getWd() < 1 || !wds.add(w.getWd())) {
                    throw images.bad(ImageKind.FILES, null, field + ".wd " + Integer.toUnsignedString(w.getWd())
                            + " is not a watch descriptor (1 to 2147483647, once)");
                }
                if ((w.getMask() & ~KNOWN_MASK) != 0 || (w.getMask() & IN_ALL_EVENTS) == 0) {
                    throw images.bad(ImageKind.FILES, null, String.format("%s.mask 0x%x holds %s", field, w.getMask(),
                            (w.getMask() & IN_ALL_EVENTS) == 0 ? "no event" : String.format("unknown bits 0x%x",
                                    w.getMask() & ~KNOWN_MASK)));
                }
                if (w.getIgnoredMask() != 0) {
                    throw images.bad(ImageKind.FILES, null, String.format("%s.ignored_mask 0x%x: inotify has none", field,
                            w.getIgnoredMask()));
                }
                FhEntry fh = w.getFHandle();
                if (fh.getBytes() < 1 || fh.getBytes() > MAX_HANDLE_BYTES || fh.getHandleCount() * 8L < fh.getBytes()) {
                    throw images.bad(ImageKind.FILES, null, field + ".f_handle.bytes " + Integer.toUnsignedString(fh.getBytes())
                            + " is not 1 to " + MAX_HANDLE_BYTES + " bytes held in its " + fh.getHandleCount() + " handle words");
                }
                if (!objects.add(List.of((long) w.getSDev(), w.getIIno()))) {
                    throw images.bad(ImageKind.FILES, null, field + " watches inode " + w.getIIno()
                            + " a second time (the kernel keeps one watch per object)");
                }
            }
            return List.copyOf(ws);
        });
    }

    /** "process 42 fd 5: inotify watch 3 on /etc (inode 19 on 254:0)": how errors name a watch. */
    private static String watched(FdUse use, InotifyWdEntry w) {
        String where = "inode " + w.getIIno() + " on " + (w.getSDev() >>> 20) + ":" + (w.getSDev() & 0xfffff);
        return use + ": inotify watch " + w.getWd() + " on "
                + (w.getFHandle().hasPath() ? w.getFHandle().getPath() + " (" + where + ")" : where);
    }

    /**
     * A new instance with the dumped O_NONBLOCK, then each watch in increasing wd order: the cursor set
     * to its wd, the object opened by handle (O_PATH) and watched through /proc/self/fd with its mask.
     */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        FdUse use = ctx.holders(file.getId()).isEmpty() ? new FdUse(0, -1) : ctx.holders(file.getId()).get(0);
        List<InotifyWdEntry> ws = watches(file, use, ctx);
        int fd = ctx.keep(Linux.inotifyInit(IN_CLOEXEC | (file.getIfy().getFlags() & Linux.O_NONBLOCK)));
        Mounts mounts = ctx.state(Mounts.class, () -> Mounts.kept(ctx::keep));
        for (InotifyWdEntry w : ws) {
            try {
                Linux.inotifySetNextWd(fd, w.getWd());
            } catch (SyscallException e) {
                throw new RestoreException(e.errno() == Errno.ENOTTY ? Kind.UNSUPPORTED : Kind.IO, watched(use, w)
                        + ": this kernel cannot choose the watch descriptor (INOTIFY_IOC_SETNEXTWD: " + e.getMessage() + ")");
            }
            int object = mounts.open(w.getSDev(), w.getFHandle(), Linux.O_PATH, watched(use, w));
            int got;
            try {
                got = Linux.inotifyAddWatch(fd, "/proc/self/fd/" + object, w.getMask());
            } catch (SyscallException e) {
                throw new RestoreException(Kind.IO, watched(use, w) + ": " + e.getMessage());
            } finally {
                Linux.close(object);
            }
            if (got != w.getWd()) {
                throw new RestoreException(Kind.INTERNAL, watched(use, w) + " came back as watch " + got);
            }
        }
        return fd;
    }
}
