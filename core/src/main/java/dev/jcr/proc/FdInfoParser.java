package dev.jcr.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses /proc/PID/fdinfo/N: the common lines (pos, flags, mnt_id, ino) and the kind-specific ones
 * (eventfd-count, tfd, inotify, fanotify, sigmask, timerfd fields, Pid).
 */
public final class FdInfoParser {

    /** The common part of fdinfo plus the remaining lines for {@link #detail}. */
    public record FdInfo(long position, int flags, int mntId, long inode, List<String> extraLines) {
        public FdInfo {
            extraLines = List.copyOf(extraLines);
        }
    }

    private FdInfoParser() {
    }

    public static FdInfo parse(String path, String text) {
        long pos = -1;
        int flags = -1;
        int mnt = -1;
        long ino = -1;
        List<String> extra = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.startsWith("pos:")) {
                pos = parseLong(path, lineNo, line, line.substring(4).trim(), 10);
            } else if (line.startsWith("flags:")) {
                flags = (int) parseLong(path, lineNo, line, line.substring(6).trim(), 8);
            } else if (line.startsWith("mnt_id:")) {
                mnt = (int) parseLong(path, lineNo, line, line.substring(7).trim(), 10);
            } else if (line.startsWith("ino:")) {
                ino = parseLong(path, lineNo, line, line.substring(4).trim(), 10);
            } else if (!line.isEmpty()) {
                extra.add(line);
            }
        }
        if (pos < 0 || flags < 0) {
            throw new ProcParseException(path, 0, "no 'pos:' or 'flags:' line");
        }
        return new FdInfo(pos, flags, mnt, ino, extra);
    }

    /** The locks fdinfo lists for fd FD ("lock:" lines), in the kernel's order. */
    public static List<FileLock> locks(int fd, FdInfo info) {
        List<FileLock> out = new ArrayList<>();
        for (String line : info.extraLines()) {
            if (line.startsWith("lock:")) {
                FileLock l = FileLock.parse(fd, line.substring(5));
                if (l != null) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    /** A pty master's index (fdinfo "tty-index:", the N of its /dev/pts/N), or -1 when fdinfo has none. */
    public static int ttyIndex(FdInfo info) {
        String v = value(info.extraLines(), "tty-index:");
        try {
            return v == null ? -1 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The kind-specific detail of an anon-inode fd of KIND from its fdinfo lines. */
    public static FdDetail detail(String path, FdKind kind, FdInfo info) {
        List<String> lines = info.extraLines();
        return switch (kind) {
            case EVENTFD -> {
                String count = value(lines, "eventfd-count:");
                String sem = value(lines, "eventfd-semaphore:");
                if (count == null) {
                    throw new ProcParseException(path, 0, "eventfd without 'eventfd-count:' line");
                }
                yield new FdDetail.Eventfd(parseLong(path, 0, "eventfd-count", count, 16),
                        sem != null && !sem.equals("0"));
            }
            case EVENTPOLL -> new FdDetail.Epoll(epollTargets(path, lines));
            case INOTIFY -> new FdDetail.Inotify(inotifyWatches(path, lines));
            case FANOTIFY -> fanotify(path, lines);
            case SIGNALFD -> {
                String mask = value(lines, "sigmask:");
                if (mask == null) {
                    throw new ProcParseException(path, 0, "signalfd without 'sigmask:' line");
                }
                yield new FdDetail.Signalfd(parseLong(path, 0, "sigmask", mask, 16));
            }
            case TIMERFD -> new FdDetail.Timerfd(
                    (int) parseLong(path, 0, "clockid", require(path, lines, "clockid:"), 10),
                    parseLong(path, 0, "ticks", require(path, lines, "ticks:"), 10),
                    timespec(path, require(path, lines, "it_value:")),
                    timespec(path, require(path, lines, "it_interval:")),
                    // "settime flags: 03" (octal); older kernels do not print it
                    value(lines, "settime flags:") == null ? 0
                            : (int) parseLong(path, 0, "settime flags", value(lines, "settime flags:"), 8));
            case PIDFD -> {
                String pid = value(lines, "Pid:");
                yield new FdDetail.Pidfd(pid == null ? -1 : parseLong(path, 0, "Pid", pid, 10));
            }
            default -> new FdDetail.None();
        };
    }

    private static List<FdDetail.EpollTarget> epollTargets(String path, List<String> lines) {
        List<FdDetail.EpollTarget> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("tfd:")) {
                String[] f = line.trim().split("\\s+");
                // tfd: N events: HEX data: HEX pos:… ino:… sdev:…
                if (f.length < 6) {
                    throw new ProcParseException(path, 0, "short epoll line '" + line + "'");
                }
                // pos/ino/sdev since Linux 3.18 (for checkpoint/restore)
                boolean more = line.contains(" pos:");
                out.add(new FdDetail.EpollTarget((int) parseLong(path, 0, "tfd", f[1], 10),
                        (int) parseLong(path, 0, "events", f[3], 16), parseUnsignedHex(path, "data", f[5]),
                        more ? parseLong(path, 0, "pos", field(path, line, "pos:"), 10) : 0,
                        more ? parseUnsignedHex(path, "ino", field(path, line, "ino:")) : -1,
                        more ? (int) parseUnsignedHex(path, "sdev", field(path, line, "sdev:")) : 0, true));
            }
        }
        return out;
    }

    private static List<FdDetail.InotifyWatch> inotifyWatches(String path, List<String> lines) {
        List<FdDetail.InotifyWatch> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("inotify ")) {
                long sdev = parseUnsignedHex(path, "sdev", field(path, line, "sdev:"));
                // the kernel prints the watch descriptor in hex too (fs/notify/fdinfo.c: "wd:%x")
                out.add(new FdDetail.InotifyWatch((int) parseLong(path, 0, "wd", field(path, line, "wd:"), 16),
                        parseUnsignedHex(path, "ino", field(path, line, "ino:")),
                        kernelMajor(sdev), kernelMinor(sdev),
                        parseUnsignedHex(path, "mask", field(path, line, "mask:"))));
            }
        }
        return out;
    }

    private static FdDetail.Fanotify fanotify(String path, List<String> lines) {
        long flags = 0;
        List<FdDetail.FanotifyMark> marks = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("fanotify flags:")) {
                flags = parseUnsignedHex(path, "flags", field(path, line, "flags:"));
            } else if (line.startsWith("fanotify ino:")) {
                marks.add(new FdDetail.FanotifyMark(parseUnsignedHex(path, "ino", field(path, line, "ino:")), -1,
                        parseUnsignedHex(path, "mask", field(path, line, "mask:"))));
            } else if (line.startsWith("fanotify mnt_id:")) {
                marks.add(new FdDetail.FanotifyMark(-1,
                        (int) parseUnsignedHex(path, "mnt_id", field(path, line, "mnt_id:")),
                        parseUnsignedHex(path, "mask", field(path, line, "mask:"))));
            }
        }
        return new FdDetail.Fanotify(flags, marks);
    }

    // in-kernel dev_t (inotify's sdev): major in the top 12 bits, minor in the low 20
    static int kernelMajor(long sdev) {
        return (int) (sdev >>> 20);
    }

    static int kernelMinor(long sdev) {
        return (int) (sdev & 0xfffff);
    }

    /** "(SECONDS, NANOS)" → nanoseconds. */
    private static long timespec(String path, String v) {
        String t = v.replace("(", "").replace(")", "");
        String[] f = t.split(",");
        if (f.length != 2) {
            throw new ProcParseException(path, 0, "timer value '" + v + "' is not '(sec, nsec)'");
        }
        return parseLong(path, 0, "seconds", f[0].trim(), 10) * 1_000_000_000L
                + parseLong(path, 0, "nanoseconds", f[1].trim(), 10);
    }

    private static String value(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return null;
    }

    private static String require(String path, List<String> lines, String key) {
        String v = value(lines, key);
        if (v == null) {
            throw new ProcParseException(path, 0, "no '" + key + "' line");
        }
        return v;
    }

    /** The value after KEY in a "k1:v1 k2:v2" line. */
    private static String field(String path, String line, String key) {
        int i = line.indexOf(" " + key);
        if (i < 0) {
            throw new ProcParseException(path, 0, "no '" + key + "' in '" + line + "'");
        }
        int s = i + 1 + key.length();
        int e = line.indexOf(' ', s);
        return line.substring(s, e < 0 ? line.length() : e);
    }

    private static long parseLong(String path, int lineNo, String what, String v, int radix) {
        try {
            return Long.parseLong(v, radix);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, lineNo, what + " '" + v + "' is not a base-" + radix + " number");
        }
    }

    private static long parseUnsignedHex(String path, String what, String v) {
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, 0, what + " '" + v + "' is not hexadecimal");
        }
    }
}
