package dev.jcr.resource;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.SignalMasks;
import dev.jcr.proc.SocketInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain words for any open fd, e.g. "inotify with 2 watches (inode 2 on 254:0, inode 260072 on
 * 254:0)" or "TCP socket listening on 127.0.0.1:8080". Drivers and the fallback for kinds without a
 * driver both use it, so every reason names what the fd is.
 */
public final class FdDescriber {

    /** Watched objects named in a description; the rest are counted. */
    private static final int SHOWN = 4;

    private FdDescriber() {
    }

    public static String describe(OpenFd fd) {
        String words = fd.kind().words();
        FdDetail d = fd.detail();
        if (d instanceof FdDetail.File f) {
            String path = f.path().path();
            if (fd.kind() == dev.jcr.proc.FdKind.MEMFD && path.startsWith("/memfd:")) {
                path = path.substring("/memfd:".length());
            }
            return words + " " + path + " (" + size(f.size()) + ")";
        }
        if (fd.kind() == dev.jcr.proc.FdKind.OTHER_SOCKET) {
            return "socket " + fd.link().substring("socket:".length())
                    + " (in no /proc/net table: unbound, or a family jcr does not read)";
        }
        if (d instanceof FdDetail.Pipe p) {
            return words + " " + p.inode() + " (" + (fd.accessMode().equals("w") ? "write" : "read") + " end)";
        }
        if (d instanceof FdDetail.Device dev) {
            return words + " " + dev.name() + " (" + dev.major() + ":" + dev.minor() + ")";
        }
        if (d instanceof FdDetail.Socket s) {
            return socket(s.socket());
        }
        if (d instanceof FdDetail.Eventfd e) {
            return words + " (count " + e.count() + (e.semaphore() ? ", semaphore" : "") + ")";
        }
        if (d instanceof FdDetail.Epoll e) {
            List<String> fds = new ArrayList<>();
            e.targets().forEach(t -> fds.add(Integer.toString(t.fd())));
            return words + (fds.isEmpty() ? " watching nothing" : " watching fd " + String.join(", ", fds));
        }
        if (d instanceof FdDetail.Inotify in) {
            if (in.watches().isEmpty()) {
                return words + " with no watches";
            }
            // a few names say what it is; thousands would drown the line
            List<String> w = new ArrayList<>();
            in.watches().stream().limit(SHOWN).forEach(x -> w.add(x.path() != null ? x.path()
                    : "inode " + x.inode() + " on " + x.devMajor() + ":" + x.devMinor()));
            if (in.watches().size() > SHOWN) {
                w.add("…");
            }
            return words + " watching " + String.join(", ", w) + " ("
                    + plural(in.watches().size(), "watch", "watches") + ")";
        }
        if (d instanceof FdDetail.Fanotify f) {
            return words + " with " + plural(f.marks().size(), "mark", "marks");
        }
        if (d instanceof FdDetail.Signalfd s) {
            List<String> names = SignalMasks.names(s.sigmask());
            return words + " for " + (names.isEmpty() ? "no signals" : String.join(", ", names));
        }
        if (d instanceof FdDetail.Timerfd t) {
            return words + " on " + clock(t.clockId())
                    + (t.intervalNanos() > 0 ? " (every " + seconds(t.intervalNanos()) + ")" : "");
        }
        if (d instanceof FdDetail.Pidfd p) {
            return words + (p.pid() > 0 ? " of process " + p.pid() : " of an exited process");
        }
        if (d instanceof FdDetail.AnonInode a) {
            return words + " [" + a.name() + "]";
        }
        if (fd.kind() == dev.jcr.proc.FdKind.UNKNOWN) {
            return words + " " + fd.link();
        }
        return words;
    }

    static String socket(SocketInfo s) {
        String words = s.kind().words();
        if (s.family().equals("unix")) {
            String name = s.local().isEmpty() ? "unnamed" : s.local();
            return words + ", " + s.state() + " (" + name + ")";
        }
        if (s.family().startsWith("inet")) {
            if (s.listening()) {
                return words + " listening on " + s.local();
            }
            return words + " " + s.state() + " " + s.local() + (s.remote().isEmpty() ? "" : " -> " + s.remote());
        }
        return words + " (" + s.local() + ")";
    }

    static String clock(int id) {
        return switch (id) {
            case 0 -> "CLOCK_REALTIME";
            case 1 -> "CLOCK_MONOTONIC";
            case 7 -> "CLOCK_BOOTTIME";
            case 8 -> "CLOCK_REALTIME_ALARM";
            case 9 -> "CLOCK_BOOTTIME_ALARM";
            default -> "clock " + id;
        };
    }

    static String seconds(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        return String.format("%.3f s", nanos / 1e9);
    }

    /** "12 KiB", "3 B", "1.5 MiB". */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.floor(v) ? Long.toString((long) v) : String.format("%.1f", v)) + " " + units[u];
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
