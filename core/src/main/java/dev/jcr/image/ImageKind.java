package dev.jcr.image;

import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.jcr.image.proto.*;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one table of image kinds: for every kind its magic (as named by CRIU/crit), the file name
 * pattern, the header it starts with, the protobuf message of its entries, whether it holds one
 * entry or many, and the blob that may follow an entry. Reading, writing, decoding and encoding
 * all go through this table, so a new kind is one line here.
 *
 * <p>A {@code %s} in a file name stands for the kind's id (a pid, a files id, a pages id ...).
 * Kinds without an entry message ({@link #entryType()} empty) are known by magic only and are
 * decoded as raw protobuf fields.
 */
public enum ImageKind {
    INVENTORY(0x58313116, "inventory.img", Header.NONE, Layout.SINGLE, InventoryEntry.class),
    PSTREE(0x50273030, "pstree.img", Header.COMMON, Layout.ARRAY, PstreeEntry.class),
    CORE(0x55053847, "core-%s.img", Header.COMMON, Layout.SINGLE, CoreEntry.class),
    IDS(0x54432030, "ids-%s.img", Header.COMMON, Layout.SINGLE, TaskKobjIdsEntry.class),
    MM(0x57492820, "mm-%s.img", Header.COMMON, Layout.SINGLE, MmEntry.class),
    PAGEMAP(0x56084025, "pagemap-%s.img", Header.COMMON, Layout.HEAD_THEN_ARRAY,
            PagemapHead.class, PagemapEntry.class, ExtraBlob.NONE),
    FDINFO(0x56213732, "fdinfo-%s.img", Header.COMMON, Layout.ARRAY, FdinfoEntry.class),
    FILES(0x56303138, "files.img", Header.COMMON, Layout.ARRAY, FileEntry.class),
    FS(0x51403912, "fs-%s.img", Header.COMMON, Layout.SINGLE, FsEntry.class),
    SECCOMP(0x64413049, "seccomp.img", Header.COMMON, Layout.SINGLE, SeccompEntry.class),
    TIMENS(0x43114433, "timens-%s.img", Header.COMMON, Layout.SINGLE, TimensEntry.class),
    PIPES_DATA(0x56453709, "pipes-data.img", Header.COMMON, Layout.ARRAY, PipeDataEntry.class, ExtraBlob.PIPE_DATA),
    FIFO_DATA(0x59333054, "fifo-data.img", Header.COMMON, Layout.ARRAY, PipeDataEntry.class, ExtraBlob.PIPE_DATA),
    STATS(0x57093306, "stats-%s", Header.SERVICE, Layout.SINGLE, StatsEntry.class),
    IRMAP_CACHE(0x57004059, "irmap-cache", Header.SERVICE, Layout.ARRAY, IrmapCacheEntry.class),
    GHOST_FILE(0x52583605, "ghost-file-%s.img", Header.COMMON, Layout.GHOST,
            GhostFileEntry.class, GhostChunkEntry.class, ExtraBlob.GHOST_CHUNK),
    TTY_INFO(0x59453036, "tty-info.img", Header.COMMON, Layout.ARRAY, TtyInfoEntry.class),
    TTY_FILES(0x59433025, "tty.img", Header.COMMON, Layout.ARRAY, TtyFileEntry.class),
    TTY_DATA(0x59413026, "tty-data.img", Header.COMMON, Layout.ARRAY, TtyDataEntry.class),
    REMAP_FPATH(0x59133954, "remap-fpath.img", Header.COMMON, Layout.ARRAY, RemapFilePathEntry.class),
    TCP_STREAM(0x51465506, "tcp-stream-%s.img", Header.COMMON, Layout.SINGLE, TcpStreamEntry.class, ExtraBlob.TCP_STREAM),
    FILE_LOCKS(0x54323616, "filelocks.img", Header.COMMON, Layout.ARRAY, FileLockEntry.class),
    CGROUP(0x59383330, "cgroup.img", Header.COMMON, Layout.SINGLE, CgroupEntry.class),
    MNTS(0x55563928, "mountpoints-%s.img", Header.COMMON, Layout.ARRAY, MntEntry.class),
    UTSNS(0x54473203, "utsns-%s.img", Header.COMMON, Layout.SINGLE, UtsnsEntry.class),
    IPC_VAR(0x53115007, "ipcns-var-%s.img", Header.COMMON, Layout.SINGLE, IpcVarEntry.class),
    IPCNS_SHM(0x46283044, "ipcns-shm-%s.img", Header.COMMON, Layout.ARRAY, IpcShmEntry.class, ExtraBlob.IPC_SHM),
    IPCNS_MSG(0x55453737, "ipcns-msg-%s.img", Header.COMMON, Layout.ARRAY, IpcMsgEntry.class, ExtraBlob.IPC_MSG),
    IPCNS_SEM(0x59573019, "ipcns-sem-%s.img", Header.COMMON, Layout.ARRAY, IpcSemEntry.class, ExtraBlob.IPC_SEM),
    NETNS(0x55933752, "netns-%s.img", Header.COMMON, Layout.SINGLE, NetnsEntry.class),
    NETDEV(0x57373951, "netdev-%s.img", Header.COMMON, Layout.ARRAY, NetDeviceEntry.class),
    USERNS(0x55474906, "userns-%s.img", Header.COMMON, Layout.SINGLE, UsernsEntry.class),
    PIDNS(0x61157326, "pidns-%s.img", Header.COMMON, Layout.SINGLE, PidnsEntry.class),
    CPUINFO(0x61404013, "cpuinfo.img", Header.COMMON, Layout.SINGLE, CpuinfoEntry.class),
    MEMFD_INODE(0x48453499, "memfd.img", Header.COMMON, Layout.ARRAY, MemfdInodeEntry.class),
    SK_QUEUES(0x56264026, "sk-queues.img", Header.COMMON, Layout.ARRAY, SkPacketEntry.class, ExtraBlob.SK_QUEUE),
    // Per-kind file images of older CRIU versions (newer ones put all of these into files.img).
    REG_FILES(0x50363636, "reg-files.img", Header.COMMON, Layout.ARRAY, RegFileEntry.class),
    EXT_FILES(0x59255641, "ext-files.img", Header.COMMON, Layout.ARRAY, ExtFileEntry.class),
    NS_FILES(0x61394011, "ns-files.img", Header.COMMON, Layout.ARRAY, NsFileEntry.class),
    PIPES(0x56513555, "pipes.img", Header.COMMON, Layout.ARRAY, PipeEntry.class),
    FIFO(0x58364939, "fifo.img", Header.COMMON, Layout.ARRAY, FifoEntry.class),
    UNIXSK(0x54373943, "unixsk.img", Header.COMMON, Layout.ARRAY, UnixSkEntry.class),
    INETSK(0x56443851, "inetsk.img", Header.COMMON, Layout.ARRAY, InetSkEntry.class),
    PACKETSK(0x60454618, "packetsk.img", Header.COMMON, Layout.ARRAY, PacketSockEntry.class),
    NETLINK_SK(0x58005614, "netlinksk.img", Header.COMMON, Layout.ARRAY, NetlinkSkEntry.class),
    EVENTFD_FILE(0x44523722, "eventfd.img", Header.COMMON, Layout.ARRAY, EventfdFileEntry.class),
    EVENTPOLL_FILE(0x45023858, "eventpoll.img", Header.COMMON, Layout.ARRAY, EventpollFileEntry.class),
    EVENTPOLL_TFD(0x44433746, "eventpoll-tfd.img", Header.COMMON, Layout.ARRAY, EventpollTfdEntry.class),
    SIGNALFD(0x57323820, "signalfd.img", Header.COMMON, Layout.ARRAY, SignalfdEntry.class),
    TIMERFD(0x50493712, "timerfd.img", Header.COMMON, Layout.ARRAY, TimerfdEntry.class),
    INOTIFY_FILE(0x48424431, "inotify.img", Header.COMMON, Layout.ARRAY, InotifyFileEntry.class),
    INOTIFY_WD(0x54562009, "inotify-wd.img", Header.COMMON, Layout.ARRAY, InotifyWdEntry.class),
    FANOTIFY_FILE(0x55096122, "fanotify.img", Header.COMMON, Layout.ARRAY, FanotifyFileEntry.class),
    FANOTIFY_MARK(0x56506035, "fanotify-mark.img", Header.COMMON, Layout.ARRAY, FanotifyMarkEntry.class),
    TUNFILE(0x57143751, "tunfile.img", Header.COMMON, Layout.ARRAY, TunfileEntry.class),
    BPFMAP_FILE(0x57506142, "bpfmap-file.img", Header.COMMON, Layout.ARRAY, BpfmapFileEntry.class),
    BPFMAP_DATA(0x64324033, "bpfmap-data.img", Header.COMMON, Layout.ARRAY, BpfmapDataEntry.class, ExtraBlob.BPFMAP_DATA),
    APPARMOR(0x59423047, "apparmor.img", Header.COMMON, Layout.ARRAY, ApparmorEntry.class),
    AUTOFS(0x49353943, "autofs-%s.img", Header.COMMON, Layout.ARRAY, AutofsEntry.class),
    BINFMT_MISC(0x67343323, "binfmt-misc-%s.img", Header.COMMON, Layout.ARRAY, BinfmtMiscEntry.class),
    // Per-task images of older CRIU versions (now inside core-*.img / mm-*.img).
    VMAS(0x54123737, "vmas-%s.img", Header.COMMON, Layout.ARRAY, VmaEntry.class),
    SIGACT(0x55344201, "sigacts-%s.img", Header.COMMON, Layout.ARRAY, SaEntry.class),
    ITIMERS(0x57464056, "itimers-%s.img", Header.COMMON, Layout.ARRAY, ItimerEntry.class),
    POSIX_TIMERS(0x52603957, "posix-timers-%s.img", Header.COMMON, Layout.ARRAY, PosixTimerEntry.class),
    CREDS(0x54023547, "creds-%s.img", Header.COMMON, Layout.SINGLE, CredsEntry.class),
    RLIMIT(0x57113925, "rlimit-%s.img", Header.COMMON, Layout.ARRAY, RlimitEntry.class),
    // Known by magic only: decoded as raw protobuf fields.
    SIGNAL(0x59255647, "signal-%s.img", Header.COMMON, Layout.ARRAY, null),
    PIDFD(0x54435556, "pidfd.img", Header.COMMON, Layout.ARRAY, null),
    KDAT(0x57023458, "criu.kdat", Header.COMMON, Layout.ARRAY, null),
    /** Raw page contents: no header, no entries (see {@link ProcessMemory}). */
    PAGES(0, "pages-%s.img", Header.RAW, Layout.RAW, null);

    /** First magic of every protobuf image except inventory. */
    public static final int IMG_COMMON = 0x54564319;
    /** First magic of service files (stats, irmap cache). */
    public static final int IMG_SERVICE = 0x55105940;
    /** The image format version CRIU writes in {@code inventory.img} (v1.1, two-magic layout). */
    public static final int IMAGES_V1_1 = 2;

    /** What precedes the entries. */
    public enum Header { NONE, COMMON, SERVICE, RAW }

    /** How entries follow one another. */
    public enum Layout {
        /** Exactly one entry. */
        SINGLE,
        /** Zero or more entries of one type. */
        ARRAY,
        /** One head entry, then entries of a second type (pagemap). */
        HEAD_THEN_ARRAY,
        /** ghost-file: one ghost_file_entry, then either the content or ghost_chunk_entry items with content. */
        GHOST,
        /** No entries at all. */
        RAW
    }

    private final int magic;
    private final String fileTemplate;
    private final Pattern filePattern;
    private final Header header;
    private final Layout layout;
    // Classes, not instances: a message's descriptors are built only when its kind is used
    // (start-up time of jcr-show matters; a class literal loads but does not initialize).
    private final Class<? extends Message> headType;
    private final Class<? extends Message> entryType;
    private final ExtraBlob extra;
    private Message headInstance;
    private Message entryInstance;

    ImageKind(int magic, String fileTemplate, Header header, Layout layout, Class<? extends Message> entryType) {
        this(magic, fileTemplate, header, layout, entryType, entryType, ExtraBlob.NONE);
    }

    ImageKind(int magic, String fileTemplate, Header header, Layout layout, Class<? extends Message> entryType, ExtraBlob extra) {
        this(magic, fileTemplate, header, layout, entryType, entryType, extra);
    }

    ImageKind(int magic, String fileTemplate, Header header, Layout layout, Class<? extends Message> headType, Class<? extends Message> entryType,
              ExtraBlob extra) {
        this.magic = magic;
        this.fileTemplate = fileTemplate;
        this.filePattern = Pattern.compile(Pattern.quote(fileTemplate).replace("%s", "\\E([0-9a-zA-Z_.-]+)\\Q"));
        this.header = header;
        this.layout = layout;
        this.headType = headType;
        this.entryType = entryType;
        this.extra = extra;
    }

    private static final Map<Integer, ImageKind> BY_MAGIC;
    private static final Map<String, ImageKind> BY_NAME;

    static {
        Map<Integer, ImageKind> byMagic = new HashMap<>();
        Map<String, ImageKind> byName = new HashMap<>();
        for (ImageKind k : values()) {
            if (k.header != Header.RAW && byMagic.put(k.magic, k) != null) {
                throw new ExceptionInInitializerError("duplicate magic for " + k);
            }
            byName.put(k.name(), k);
        }
        BY_MAGIC = Collections.unmodifiableMap(byMagic);
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    /** The kind whose type magic is {@code magic}. */
    public static Optional<ImageKind> byMagic(int magic) {
        return Optional.ofNullable(BY_MAGIC.get(magic));
    }

    /** The kind named {@code name} as crit names it ("CORE", "PAGEMAP" ...). */
    public static Optional<ImageKind> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The kind a file name belongs to ("core-42.img" is CORE), if any. */
    public static Optional<ImageKind> byFileName(String fileName) {
        for (ImageKind k : values()) {
            if (k.filePattern.matcher(fileName).matches()) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public int magic() {
        return magic;
    }

    public Header header() {
        return header;
    }

    public Layout layout() {
        return layout;
    }

    /** The file name of this kind for {@code id}; ids are ignored by kinds with a fixed name. */
    public String fileName(Object id) {
        return fileTemplate.contains("%s") ? String.format(fileTemplate, id) : fileTemplate;
    }

    /** The file name of a kind with a fixed name. */
    public String fileName() {
        if (fileTemplate.contains("%s")) {
            throw new IllegalArgumentException(this + " needs an id for its file name (" + fileTemplate + ")");
        }
        return fileTemplate;
    }

    public String fileTemplate() {
        return fileTemplate;
    }

    private Message head() {
        Message m = headInstance;
        if (m == null && headType != null) {
            m = headInstance = Internal.getDefaultInstance(headType);
        }
        return m;
    }

    private Message entry() {
        Message m = entryInstance;
        if (m == null && entryType != null) {
            m = entryInstance = Internal.getDefaultInstance(entryType);
        }
        return m;
    }

    /** Message of the first entry (differs from {@link #entryType()} for pagemap and ghost files). */
    public Optional<Message> headType() {
        return Optional.ofNullable(head());
    }

    /** Message of the entries; empty for kinds decoded as raw fields. */
    public Optional<Message> entryType() {
        return Optional.ofNullable(entry());
    }

    /** Blob that follows an entry (for ghost files: a chunk entry's). */
    public ExtraBlob extra() {
        return extra;
    }

    /** The message type of the entry at {@code index}. */
    public Optional<Message> typeOf(int index) {
        return Optional.ofNullable(index == 0 ? head() : entry());
    }
}
