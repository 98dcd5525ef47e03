package dev.jcr.proc;

/**
 * What an open file descriptor refers to, recognised by the name of its /proc/PID/fd link, the
 * file type behind it and, for sockets, the /proc/PID/net tables. Each constant carries the words a
 * person reads.
 */
public enum FdKind {
    REGULAR("regular file"),
    DIRECTORY("directory"),
    DELETED_FILE("deleted file"),
    PIPE("pipe"),
    FIFO("FIFO"),
    UNIX_STREAM("unix stream socket"),
    UNIX_DGRAM("unix datagram socket"),
    UNIX_SEQPACKET("unix seqpacket socket"),
    TCP("TCP socket"),
    UDP("UDP socket"),
    RAW_SOCKET("raw IP socket"),
    NETLINK("netlink socket"),
    PACKET("packet socket"),
    /** A socket found in none of the /proc/PID/net tables (e.g. an unbound TCP socket, or another family). */
    OTHER_SOCKET("socket"),
    EVENTFD("eventfd"),
    EVENTPOLL("eventpoll"),
    INOTIFY("inotify"),
    FANOTIFY("fanotify"),
    SIGNALFD("signalfd"),
    TIMERFD("timerfd"),
    PIDFD("pidfd"),
    MEMFD("memfd"),
    IO_URING("io_uring"),
    PERF_EVENT("perf_event"),
    USERFAULTFD("userfaultfd"),
    BPF_MAP("bpf map"),
    BPF_PROG("bpf program"),
    BPF_LINK("bpf link"),
    /** Another anon_inode file (dmabuf, kvm, …); the detail names it. */
    OTHER_ANON_INODE("anonymous inode"),
    CHAR_DEVICE("character device"),
    BLOCK_DEVICE("block device"),
    /** A virtual console, serial port, /dev/tty or /dev/console. */
    TTY("terminal"),
    /** The master side of a pseudo-terminal (/dev/ptmx). */
    PTY_MASTER("pty master"),
    /** The slave side of a pseudo-terminal (/dev/pts/N). */
    PTY_SLAVE("pty"),
    /** A link target none of the rules above recognised; the raw link text is kept. */
    UNKNOWN("unknown file");

    private final String words;

    FdKind(String words) {
        this.words = words;
    }

    /** Plain words for a person, e.g. "unix stream socket". */
    public String words() {
        return words;
    }

    public boolean isSocket() {
        return switch (this) {
            case UNIX_STREAM, UNIX_DGRAM, UNIX_SEQPACKET, TCP, UDP, RAW_SOCKET, NETLINK, PACKET, OTHER_SOCKET -> true;
            default -> false;
        };
    }
}
