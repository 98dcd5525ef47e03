package dev.jcr.resource;

import dev.jcr.proc.FdKind;
import dev.jcr.proc.FileLock;
import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ThreadInfo;
import dev.jcr.proc.Vma;
import java.util.EnumMap;
import java.util.Map;

/**
 * The resource kinds jcr reasons about: the key of the driver table. Each kind says which snapshot
 * record its driver assesses, and fd kinds say which {@link FdKind}s they cover.
 */
public enum ResourceKind {
    PROCESS("process", ProcessInfo.class),
    MEMORY_MAPPING("memory mapping", Vma.class),
    THREAD("thread", ThreadInfo.class),
    SIGNAL_STATE("signal state", ProcessInfo.class),
    FILE_LOCK("file lock", FileLock.class),
    REGULAR_FILE("regular file", OpenFd.class, FdKind.REGULAR),
    DIRECTORY("directory", OpenFd.class, FdKind.DIRECTORY),
    DELETED_FILE("deleted file", OpenFd.class, FdKind.DELETED_FILE),
    PIPE("pipe", OpenFd.class, FdKind.PIPE),
    FIFO("FIFO", OpenFd.class, FdKind.FIFO),
    EVENTFD("eventfd", OpenFd.class, FdKind.EVENTFD),
    CHAR_DEVICE("character device", OpenFd.class, FdKind.CHAR_DEVICE),
    TERMINAL("terminal", OpenFd.class, FdKind.TTY),
    PTY("pty", OpenFd.class, FdKind.PTY_MASTER, FdKind.PTY_SLAVE),
    BLOCK_DEVICE("block device", OpenFd.class, FdKind.BLOCK_DEVICE),
    UNIX_SOCKET("unix socket", OpenFd.class, FdKind.UNIX_STREAM, FdKind.UNIX_DGRAM, FdKind.UNIX_SEQPACKET),
    TCP_SOCKET("TCP socket", OpenFd.class, FdKind.TCP),
    UDP_SOCKET("UDP socket", OpenFd.class, FdKind.UDP),
    RAW_SOCKET("raw socket", OpenFd.class, FdKind.RAW_SOCKET),
    NETLINK_SOCKET("netlink socket", OpenFd.class, FdKind.NETLINK),
    PACKET_SOCKET("packet socket", OpenFd.class, FdKind.PACKET),
    OTHER_SOCKET("other socket", OpenFd.class, FdKind.OTHER_SOCKET),
    EVENTPOLL("eventpoll", OpenFd.class, FdKind.EVENTPOLL),
    INOTIFY("inotify", OpenFd.class, FdKind.INOTIFY),
    FANOTIFY("fanotify", OpenFd.class, FdKind.FANOTIFY),
    SIGNALFD("signalfd", OpenFd.class, FdKind.SIGNALFD),
    TIMERFD("timerfd", OpenFd.class, FdKind.TIMERFD),
    PIDFD("pidfd", OpenFd.class, FdKind.PIDFD),
    MEMFD("memfd", OpenFd.class, FdKind.MEMFD),
    IO_URING("io_uring", OpenFd.class, FdKind.IO_URING),
    PERF_EVENT("perf_event", OpenFd.class, FdKind.PERF_EVENT),
    USERFAULTFD("userfaultfd", OpenFd.class, FdKind.USERFAULTFD),
    BPF("bpf map/program/link", OpenFd.class, FdKind.BPF_MAP, FdKind.BPF_PROG, FdKind.BPF_LINK),
    OTHER_ANON_INODE("other anonymous inode", OpenFd.class, FdKind.OTHER_ANON_INODE),
    UNKNOWN_FD("unrecognised fd", OpenFd.class, FdKind.UNKNOWN);

    private static final Map<FdKind, ResourceKind> BY_FD_KIND = new EnumMap<>(FdKind.class);

    static {
        for (ResourceKind k : values()) {
            for (FdKind f : k.fdKinds) {
                if (BY_FD_KIND.put(f, k) != null) {
                    throw new ExceptionInInitializerError("fd kind " + f + " belongs to two resource kinds");
                }
            }
        }
        for (FdKind f : FdKind.values()) {
            if (!BY_FD_KIND.containsKey(f)) {
                throw new ExceptionInInitializerError("fd kind " + f + " belongs to no resource kind");
            }
        }
    }

    private final String words;
    private final Class<?> resourceType;
    private final FdKind[] fdKinds;

    ResourceKind(String words, Class<?> resourceType, FdKind... fdKinds) {
        this.words = words;
        this.resourceType = resourceType;
        this.fdKinds = fdKinds;
    }

    /** Plain words, e.g. "unix socket". */
    public String words() {
        return words;
    }

    /** The snapshot record a driver of this kind assesses (OpenFd, Vma, ThreadInfo, ProcessInfo). */
    public Class<?> resourceType() {
        return resourceType;
    }

    /** The resource kind that covers fd kind K. */
    public static ResourceKind of(FdKind k) {
        return BY_FD_KIND.get(k);
    }
}
