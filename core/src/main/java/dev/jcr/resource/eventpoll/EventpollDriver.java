package dev.jcr.resource.eventpoll;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.EventpollFileEntry;
import dev.jcr.image.proto.EventpollTfdEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.InProcess;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.RestoreContext;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * epoll instances and every file they watch. The kernel keys a registration by the watched file and
 * the fd number it was added under, and reports that number (fdinfo "tfd"), events (with
 * EPOLLET/ONESHOT/EXCLUSIVE/WAKEUP), user data, and the file's position, inode and device. The dump
 * checks with kcmp(KCMP_EPOLL_TFD) that the number still names the watched file; a registration whose
 * number was closed (the file living on as a dup, or elsewhere) or reused for another file cannot be
 * keyed the same way again and is refused, naming both fds.
 *
 * <p>Restore: the instance is created in jcr (and installed like any file); the registrations are
 * made afterwards inside the process that holds it, once all its fds are in place with their dumped
 * numbers ({@link #settle}): epoll_ctl(ADD) with the same number, events and data, so the program's
 * later EPOLL_CTL_MOD/DEL with its own numbers find them. Watched epolls (nesting) are just files.
 * An edge-triggered or one-shot event that was consumed before the dump may be reported once more.
 */
public final class EventpollDriver implements FileDriver {

    static final int EPOLL_CTL_ADD = 1;
    private static final int SYS_EPOLL_CTL = 233;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int F_SETFL = 4;
    /** Every event bit epoll_ctl takes: the poll events, EPOLLRDHUP … EPOLLMSG, EXCLUSIVE, WAKEUP, ONESHOT, ET. */
    static final int KNOWN_EVENTS = 0x3fff | 0x10000000 | 0x20000000 | 0x40000000 | 0x80000000;
    static final int EPOLLEXCLUSIVE = 0x10000000;
    static final int EPOLLONESHOT = 0x40000000;

    @Override
    public ResourceKind kind() {
        return ResourceKind.EVENTPOLL;
    }

    @Override
    public FdTypes fileType() {
        return FdTypes.EVENTPOLL;
    }

    @Override
    public Support support() {
        return new Support(Verdict.SUPPORTED, "every watched fd with its events and data (nested epolls too);"
                + " not a watch whose fd number was closed or reused since");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        FdDetail.Epoll ep = (FdDetail.Epoll) fd.detail();
        for (FdDetail.EpollTarget t : ep.targets()) {
            if (!t.open()) {
                return Assessment.unsupported(fd.label(), kind(), FdDescriber.describe(fd) + ": " + stale(t.fd())
                        + ": not supported");
            }
        }
        return Assessment.supported(fd.label(), kind(), FdDescriber.describe(fd));
    }

    private static String stale(int tfd) {
        return "fd " + tfd + " was closed or reused after it was added (the kernel keeps the watch under the old number)";
    }

    /** One eventpoll entry with its watches inline (CRIU 4's layout); each watch checked with kcmp first. */
    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        List<FdDetail.EpollTarget> targets = ((FdDetail.Epoll) fd.detail()).targets();
        Map<Integer, Integer> seen = new HashMap<>();
        for (FdDetail.EpollTarget t : targets) {
            int toff = seen.merge(t.fd(), 1, Integer::sum) - 1;
            if (!Linux.isEpollTarget(ctx.pid(), t.fd(), fd.fd(), t.fd(), toff)) {
                throw new NotDumpableException(ctx.pid(), fd.label(), "eventpoll watches " + stale(t.fd()));
            }
        }
        ctx.addFd(fd, FdTypes.EVENTPOLL, id -> {
            EventpollFileEntry.Builder e = EventpollFileEntry.newBuilder().setId(id).setFlags(FileEntries.fileFlags(fd))
                    .setFown(FileEntries.noOwner());
            for (FdDetail.EpollTarget t : targets) {
                EventpollTfdEntry.Builder w = EventpollTfdEntry.newBuilder().setId(id).setTfd(t.fd()).setEvents(t.events())
                        .setData(t.data());
                if (t.inode() >= 0) {
                    w.setDev(t.sdev()).setInode(t.inode()).setPos(t.pos());
                }
                e.addTfd(w);
            }
            return FileEntry.newBuilder().setType(FdTypes.EVENTPOLL).setId(id).setEpfd(e).build();
        });
    }

    /**
     * The watches must be registrable in the process that will make them: each a known set of events
     * (EPOLLEXCLUSIVE never with EPOLLONESHOT), on an fd number that process holds, which is not the
     * instance itself.
     */
    @Override
    public void check(FileEntry file, FdUse use, FileImages images) {
        if (!file.hasEpfd()) {
            throw images.bad(ImageKind.FILES, null, "file " + file.getId() + " (" + use + ") is an EVENTPOLL without its epfd entry");
        }
        List<EventpollTfdEntry> ws = watches(file, images);
        for (int i = 0; i < ws.size(); i++) {
            EventpollTfdEntry w = ws.get(i);
            String field = "eventpoll " + file.getId() + " tfd[" + i + "]";
            if ((w.getEvents() & ~KNOWN_EVENTS) != 0) {
                throw images.bad(ImageKind.FILES, null, String.format("%s.events 0x%x holds unknown bits 0x%x", field,
                        w.getEvents(), w.getEvents() & ~KNOWN_EVENTS));
            }
            if ((w.getEvents() & EPOLLEXCLUSIVE) != 0 && (w.getEvents() & EPOLLONESHOT) != 0) {
                throw images.bad(ImageKind.FILES, null, field + ".events: EPOLLEXCLUSIVE with EPOLLONESHOT");
            }
        }
        owner(file, images);
    }

    /** The watches of FILE: inline (CRIU 4), or in eventpoll-tfd.img (older CRIU), by the instance's id. */
    private static List<EventpollTfdEntry> watches(FileEntry file, FileImages images) {
        if (file.getEpfd().getTfdCount() > 0) {
            return file.getEpfd().getTfdList();
        }
        List<EventpollTfdEntry> out = new ArrayList<>();
        for (ImageEntry e : images.read(ImageKind.EVENTPOLL_TFD, null)) {
            EventpollTfdEntry w = e.as(EventpollTfdEntry.class);
            if (w.getId() == file.getId()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * The process whose fd numbers the watches name: the first holder (parents first) that has every
     * watched number open on another file than the instance; none is a bad image naming the watch.
     */
    private static FdUse owner(FileEntry file, FileImages images) {
        List<FdUse> holders = images.holders(file.getId());
        List<EventpollTfdEntry> ws = watches(file, images);
        String problem = "no process holds it";
        for (FdUse h : holders) {
            Map<Integer, Integer> table = images.fdTable(h.pid());
            problem = null;
            for (int i = 0; i < ws.size() && problem == null; i++) {
                Integer target = table.get(ws.get(i).getTfd());
                if (target == null) {
                    problem = "tfd[" + i + "].tfd " + ws.get(i).getTfd() + " is not open in process " + h.pid();
                } else if (target == file.getId()) {
                    problem = "tfd[" + i + "].tfd " + ws.get(i).getTfd() + " is the eventpoll itself";
                }
            }
            if (problem == null) {
                return h;
            }
        }
        throw images.bad(ImageKind.FILES, null, "eventpoll " + file.getId() + ": " + problem);
    }

    /** A fresh instance with the dumped status flags; the watches come in {@link #settle}. */
    @Override
    public int restore(FileEntry file, RestoreContext ctx) {
        int fd = ctx.keep(Linux.epollCreate(EPOLL_CLOEXEC));
        int status = file.getEpfd().getFlags() & Linux.O_NONBLOCK;
        if (status != 0) {
            Linux.fcntl(fd, F_SETFL, status);
        }
        return fd;
    }

    /** epoll_ctl(ADD) of every watch, with its own number, events and data, inside the owning process. */
    @Override
    public void settle(FileEntry file, FdUse use, InProcess process, FileImages images) {
        FdUse owner = owner(file, images);
        if (owner.pid() != use.pid()) {
            return; // the owner (another holder) makes them when its turn comes
        }
        for (EventpollTfdEntry w : watches(file, images)) {
            // struct epoll_event is packed on x86-64: u32 events, u64 data
            byte[] ev = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(w.getEvents()).putLong(w.getData())
                    .array();
            process.call("epoll_ctl(fd " + owner.fd() + ", ADD, fd " + w.getTfd() + ")", SYS_EPOLL_CTL, owner.fd(),
                    EPOLL_CTL_ADD, w.getTfd(), process.put(ev));
        }
    }
}
