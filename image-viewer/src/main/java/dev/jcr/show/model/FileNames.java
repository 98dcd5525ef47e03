package dev.jcr.show.model;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.image.proto.VmaEntry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names of the objects a dump refers to by id: what crit's explorer prints for an fd ({@code
 * /dev/null}, {@code pipe[342737]}, {@code unix[ino (peer) name]}), extended to every file kind, and
 * the name of a memory mapping ({@code /usr/lib/libc.so.6 + 0x26000}, {@code [stack]}, {@code
 * shmem[1]}).
 */
public final class FileNames {

    public static final int VMA_REGULAR = 1;
    public static final int VMA_STACK = 1 << 1;
    public static final int VMA_VSYSCALL = 1 << 2;
    public static final int VMA_VDSO = 1 << 3;
    public static final int VMA_HEAP = 1 << 5;
    public static final int VMA_FILE_PRIVATE = 1 << 6;
    public static final int VMA_FILE_SHARED = 1 << 7;
    public static final int VMA_ANON_SHARED = 1 << 8;
    public static final int VMA_ANON_PRIVATE = 1 << 9;
    public static final int VMA_SYSVIPC = 1 << 10;
    public static final int VMA_SOCKET = 1 << 11;
    public static final int VMA_VVAR = 1 << 12;
    public static final int VMA_AIORING = 1 << 13;
    public static final int VMA_MEMFD = 1 << 14;
    public static final int VMA_UNSUPP = 1 << 31;
    static final int MAP_GROWSDOWN = 0x100;

    private final Dump dump;
    private final Map<Long, Integer> shmemNumbers = new HashMap<>();

    FileNames(Dump dump) {
        this.dump = dump;
    }

    /** The name of file object {@code id} (an fd's target); {@code TYPE.id} when the dump lacks it. */
    public String of(FdTypes type, int id) {
        return dump.file(id).map(FileNames::describe).orElse(type.name() + "." + id + " (not in files.img)");
    }

    /** The path of a regular file id, as mappings and cwd/root refer to them. */
    public String path(int id) {
        return dump.file(id).map(FileNames::describe).orElse("file." + id + " (not in files.img)");
    }

    /** A file object in a person's words. */
    public static String describe(FileEntry f) {
        return switch (f.getType()) {
            case REG -> f.hasReg() ? f.getReg().getName() : "REG." + f.getId();
            case PIPE -> f.hasPipe() ? "pipe[" + Integer.toUnsignedString(f.getPipe().getPipeId()) + "]" : "pipe[?]";
            case FIFO -> f.hasFifo() ? "fifo[" + Integer.toUnsignedString(f.getFifo().getPipeId()) + "]" : "fifo[?]";
            case UNIXSK -> f.hasUsk() ? unix(f.getUsk()) : "unix[?]";
            case INETSK -> f.hasIsk() ? inet(f.getIsk()) : "inet[?]";
            case EVENTFD -> f.hasEfd() ? "eventfd[count " + Long.toUnsignedString(f.getEfd().getCounter()) + "]" : "eventfd[?]";
            case EVENTPOLL -> f.hasEpfd() ? "eventpoll[" + f.getEpfd().getTfdCount() + " watched]" : "eventpoll[?]";
            case INOTIFY -> f.hasIfy() ? "inotify[" + f.getIfy().getWdCount() + " watches]" : "inotify[?]";
            case FANOTIFY -> "fanotify";
            case SIGNALFD -> f.hasSgfd() ? String.format("signalfd[mask 0x%x]", f.getSgfd().getSigmask()) : "signalfd[?]";
            case TIMERFD -> f.hasTfd() ? "timerfd[" + clock(f.getTfd().getClockid()) + "]" : "timerfd[?]";
            case MEMFD -> "memfd[" + f.getId() + "]";
            case PACKETSK -> f.hasPsk() ? "packet[" + Sockets.type(f.getPsk().getType()) + String.format(" proto 0x%x", f.getPsk().getProtocol())
                    + " ifindex " + f.getPsk().getIfindex() + "]" : "packet[?]";
            case NETLINKSK -> f.hasNlsk() ? "netlink[proto " + f.getNlsk().getProtocol() + ", ino "
                    + Integer.toUnsignedString(f.getNlsk().getIno()) + "]" : "netlink[?]";
            case TTY -> f.hasTty() ? "tty[" + f.getTty().getTtyInfoId() + "]" : "tty[?]";
            case NS -> f.hasNsf() ? "ns[" + f.getNsf().getNsCflag() + "]" : "ns[?]";
            case TUNF -> f.hasTunf() ? "tun[" + f.getTunf().getNetdev() + "]" : "tun[?]";
            case EXT -> "ext[" + f.getId() + "]";
            case BPFMAP -> "bpf-map[" + f.getId() + "]";
            default -> f.getType().name() + "." + f.getId();
        };
    }

    /** {@code unix[stream 342001 -> 342002 /run/x.sock]}: type, inode, peer inode, name. */
    public static String unix(UnixSkEntry u) {
        String name = Sockets.unixName(u.getName().toByteArray());
        return "unix[" + Sockets.type(u.getType()) + " " + Integer.toUnsignedString(u.getIno())
                + (u.getPeer() != 0 ? " -> " + Integer.toUnsignedString(u.getPeer()) : "")
                + (name.isEmpty() ? "" : " " + name) + "]";
    }

    /** {@code tcp[127.0.0.1:80 -> 10.0.0.1:4000 ESTABLISHED]}. */
    public static String inet(InetSkEntry s) {
        String proto = Sockets.proto(s.getProto(), s.getType()) + (s.getFamily() == Sockets.AF_INET6 ? "6" : "");
        String local = Sockets.endpoint(s.getSrcAddrList(), s.getSrcPort());
        String remote = s.getDstPort() == 0 && Sockets.isAny(s.getDstAddrList()) ? "" : " -> " + Sockets.endpoint(s.getDstAddrList(), s.getDstPort());
        return proto + "[" + local + remote + " " + Sockets.state(s.getState()) + "]";
    }

    /** Name of a mapping without its process's mm (the main stack can then only be guessed: [stack?]). */
    public String vma(VmaEntry v) {
        return vmaAt(null, v, v.getStart());
    }

    /**
     * Name of a mapping of the process whose mm is MM: the file (with offset, {@code (s)} when shared), or
     * [stack], [vdso], shmem[N] ...
     */
    public String vma(MmEntry mm, VmaEntry v) {
        return vmaAt(mm, v, v.getStart());
    }

    /**
     * Name of mapping V at address ADDR within it: for a file mapping, the file offset is that of ADDR
     * (two changed pages of one mapping are told apart by it), for the rest as {@link #vma(MmEntry, VmaEntry)}.
     * The mapping holding the mm's start_stack is [stack] (CRIU and jcr mark the main stack only with
     * MAP_GROWSDOWN); another growing-down mapping, or any without MM, is [stack?].
     */
    public String vmaAt(MmEntry mm, VmaEntry v, long addr) {
        int st = v.getStatus();
        String name;
        if ((st & VMA_SYSVIPC) != 0) {
            name = "sysv-shm[" + shmem(v.getShmid()) + "]";
        } else if ((st & VMA_ANON_SHARED) != 0) {
            name = "shmem[" + shmem(v.getShmid()) + "]";
        } else if ((st & VMA_SOCKET) != 0) {
            name = "packet[" + shmem(v.getShmid()) + "]";
        } else if ((st & VMA_AIORING) != 0) {
            name = "[aio]";
        } else if ((st & (VMA_FILE_PRIVATE | VMA_FILE_SHARED)) != 0) {
            name = path((int) v.getShmid());
            long offset = v.getPgoff() + (addr - v.getStart());
            if (offset != 0) {
                name += String.format(" + 0x%x", offset);
            }
            if ((st & VMA_FILE_SHARED) != 0) {
                name += " (s)";
            }
        } else if ((st & VMA_STACK) != 0) {
            name = "[stack]";
        } else if ((st & VMA_VSYSCALL) != 0) {
            name = "[vsyscall]";
        } else if ((st & VMA_VDSO) != 0) {
            name = "[vdso]";
        } else if ((st & VMA_VVAR) != 0) {
            name = "[vvar]";
        } else if ((st & VMA_HEAP) != 0) {
            name = "[heap]";
        } else if (mm != null && mm.hasMmStartStack() && Long.compareUnsigned(mm.getMmStartStack(), v.getStart()) >= 0
                && Long.compareUnsigned(mm.getMmStartStack(), v.getEnd()) < 0) {
            name = "[stack]";
        } else if ((v.getFlags() & MAP_GROWSDOWN) != 0) {
            name = "[stack?]";
        } else {
            name = "";
        }
        return name;
    }

    /** {@code rwxp}: protection and private/shared, as /proc/PID/maps prints it. */
    public static String prot(VmaEntry v) {
        int p = v.getProt();
        return ((p & 1) != 0 ? "r" : "-") + ((p & 2) != 0 ? "w" : "-") + ((p & 4) != 0 ? "x" : "-")
                + ((v.getFlags() & 1) != 0 ? "s" : "p");
    }

    /** Short names of a mapping's status bits (regular, heap, anon, file-private ...). */
    public static String status(int st) {
        StringBuilder s = new StringBuilder();
        String[] names = {"regular", "stack", "vsyscall", "vdso", null, "heap", "file-private", "file-shared",
                "anon-shared", "anon-private", "sysvipc", "socket", "vvar", "aio", "memfd"};
        int rest = st;
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null && (st & (1 << i)) != 0) {
                s.append(s.length() == 0 ? "" : ",").append(names[i]);
                rest &= ~(1 << i);
            }
        }
        if ((st & VMA_UNSUPP) != 0) {
            s.append(s.length() == 0 ? "" : ",").append("UNSUPPORTED");
            rest &= ~VMA_UNSUPP;
        }
        if (rest != 0) {
            s.append(s.length() == 0 ? "" : ",").append(String.format("0x%x", rest));
        }
        return s.toString();
    }

    private int shmem(long shmid) {
        return shmemNumbers.computeIfAbsent(shmid, k -> shmemNumbers.size() + 1);
    }

    static String clock(int id) {
        return switch (id) {
            case 0 -> "realtime";
            case 1 -> "monotonic";
            case 7 -> "boottime";
            case 8 -> "realtime-alarm";
            case 9 -> "boottime-alarm";
            default -> "clock " + id;
        };
    }

    /** Open-file flags (the O_* bits of a regular file) in words: {@code O_WRONLY|O_APPEND}. */
    public static String openFlags(int flags) {
        StringBuilder s = new StringBuilder(switch (flags & 3) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        int[] bits = {0100, 0200, 01000, 02000, 04000, 010000, 040000, 0200000, 0400000, 01000000, 02000000, 020000000};
        String[] names = {"O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_DSYNC", "O_DIRECT", "O_DIRECTORY",
                "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC", "O_PATH"};
        int rest = flags & ~3;
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                s.append('|').append(names[i]);
                rest &= ~bits[i];
            }
        }
        // O_LARGEFILE (0100000) is set on every 64-bit open: not worth a word.
        rest &= ~0100000;
        if (rest != 0) {
            s.append(String.format(Locale.ROOT, "|0%o", rest));
        }
        return s.toString();
    }
}
