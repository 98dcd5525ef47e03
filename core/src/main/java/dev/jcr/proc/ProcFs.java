package dev.jcr.proc;

import dev.jcr.sys.FileCalls;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads /proc under an injectable root ({@code /proc} in production, a fixture tree in tests). The
 * methods here only touch the file system; parsing is done by the pure parsers of this package.
 *
 * <p>Errors: a process that does not exist or vanishes while being read raises
 * {@link ProcessGoneException}; a denied read raises {@link ProcAccessException}; a file that does not
 * have the documented shape raises {@link ProcParseException} naming path and line.
 */
public final class ProcFs {

    private static final ProcFs SYSTEM = new ProcFs(Path.of("/proc"));

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    /** The real /proc of this machine. */
    public static ProcFs system() {
        return SYSTEM;
    }

    public Path root() {
        return root;
    }

    /** The directory /proc/PID. */
    public Path dir(long pid) {
        return root.resolve(Long.toString(pid));
    }

    public boolean exists(long pid) {
        return Files.isDirectory(dir(pid));
    }

    /**
     * An integer setting under /proc/sys (NAME like "fs/pipe-max-size"); empty when it cannot be
     * read. Read in one go: these files answer a read at a non-zero position with end of file, so a
     * reader that starts small (Files.readString on a file of size 0) sees only the first digit.
     */
    public OptionalLong sysctl(String name) {
        try {
            return OptionalLong.of(Long.parseLong(readText(root.resolve("sys").resolve(name)).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The pid of the process reading this /proc (the target of the "self" link). */
    public long selfPid() {
        Path self = root.resolve("self");
        try {
            return Long.parseLong(Files.readSymbolicLink(self).toString());
        } catch (IOException | NumberFormatException e) {
            throw new ProcParseException(self.toString(), 0, "'self' is not a link to a pid: " + e.getMessage());
        }
    }

    /**
     * A process holding an fd whose link reads LINK ("socket:[1234]"), other than those in EXCEPT, or -1:
     * who outside a tree holds the other end of something. Reads every process's fd links (a scan of the
     * machine), so it is for naming a blocker, not for every fd.
     */
    public long holderOf(String link, java.util.Set<Long> except) {
        for (long pid : pids()) {
            if (except.contains(pid)) {
                continue;
            }
            try (java.util.stream.Stream<Path> fds = Files.list(dir(pid).resolve("fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(link)) {
                            return pid;
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // gone, or not ours to read
            }
        }
        return -1;
    }

    /** All process ids (numeric entries of the root), ascending. */
    public List<Long> pids() {
        long[] buf = new long[256];
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    long pid = parsePid(name);
                    if (pid > 0) {
                        if (n == buf.length) {
                            buf = Arrays.copyOf(buf, n * 2);
                        }
                        buf[n++] = pid;
                    }
                }
            }
        } catch (IOException e) {
            throw new ProcIoException(root.toString(), e);
        }
        Arrays.sort(buf, 0, n);
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(buf[i]);
        }
        return out;
    }

    /**
     * The process PID: stat, status, cmdline and namespaces. A thread id that is not its process's id
     * raises {@link NotAProcessException}.
     */
    public ProcessInfo process(long pid) {
        Path dir = dir(pid);
        StatParser.Stat stat = StatParser.parse(dir.resolve("stat").toString(), read(pid, dir.resolve("stat")));
        Path statusPath = dir.resolve("status");
        StatusParser.Status st = StatusParser.parse(statusPath.toString(), read(pid, statusPath));
        if (st.tgid() != pid) {
            throw new NotAProcessException(pid, st.tgid());
        }
        List<String> cmdline = splitNul(read(pid, dir.resolve("cmdline")));
        Namespaces ns = namespaces(pid);
        boolean kthread = st.kthread() != null ? st.kthread() : stat.kernelThreadFlag();
        return new ProcessInfo(pid, stat.ppid(), stat.pgid(), stat.sid(), ProcessState.ofCode(stat.state()),
                stat.comm(), cmdline, st.uids(), st.gids(), stat.threads(), st.vmRssKb() * 1024,
                st.vmSizeKb() * 1024, stat.startTimeTicks(), stat.ttyNr(), st.tracerPid(),
                SeccompMode.ofCode(st.seccomp()), kthread, st.capEffective(), st.signals(), ns);
    }

    /**
     * The namespace inodes of PID. Types this kernel lacks, and all of them when jcr may not see
     * them (a process more privileged than jcr), are left out.
     */
    public Namespaces namespaces(long pid) {
        Map<NamespaceType, Long> m = new EnumMap<>(NamespaceType.class);
        Path nsDir = dir(pid).resolve("ns");
        for (NamespaceType t : NamespaceType.values()) {
            Path link = nsDir.resolve(t.file());
            String text;
            try {
                text = Files.readSymbolicLink(link).toString();
            } catch (NoSuchFileException e) {
                if (!exists(pid)) {
                    throw new ProcessGoneException(pid, link.toString());
                }
                // a zombie has no namespaces left, and old kernels lack some types
                continue;
            } catch (AccessDeniedException e) {
                // a more privileged process hides its namespaces (ptrace access check): unknown
                continue;
            } catch (IOException e) {
                throw failure(pid, link, e);
            }
            long inode = FdClassifier.bracketInode(text);
            if (inode < 0) {
                throw new ProcParseException(link.toString(), 0, "link '" + text + "' is not TYPE:[INODE]");
            }
            m.put(t, inode);
        }
        return new Namespaces(m);
    }

    /**
     * The memory mappings of PID (empty for kernel threads and zombies). A mapping of a deleted file
     * carries the file's size, read through its /proc/PID/map_files link (-1 when jcr may not).
     */
    public List<Vma> maps(long pid) {
        Path p = dir(pid).resolve("maps");
        List<Vma> all = MapsParser.parse(p.toString(), read(pid, p));
        if (all.stream().noneMatch(v -> v.kind() == VmaKind.DELETED_FILE)) {
            return all;
        }
        List<Vma> out = new ArrayList<>(all.size());
        for (Vma v : all) {
            if (v.kind() == VmaKind.DELETED_FILE) {
                try {
                    v = v.withFileSize(Files.size(dir(pid).resolve("map_files").resolve(v.range())));
                } catch (IOException | UnsupportedOperationException e) {
                    // not readable by jcr: size unknown
                }
            }
            out.add(v);
        }
        return out;
    }

    /** The madvise advice of each mapping of PID (CRIU's vma madv mask), by start address, from /proc/PID/smaps. */
    public Map<Long, Long> madvise(long pid) {
        Path p = dir(pid).resolve("smaps");
        return VmFlags.parseSmaps(p.toString(), read(pid, p));
    }

    /** The threads of PID, by ascending tid. A thread that exits while being read is left out. */
    public List<ThreadInfo> threads(long pid) {
        Path taskDir = dir(pid).resolve("task");
        List<ThreadInfo> out = new ArrayList<>();
        for (long tid : numericEntries(pid, taskDir)) {
            Path p = taskDir.resolve(Long.toString(tid)).resolve("status");
            String text;
            try {
                text = readText(p);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                if (isEsrch(e)) {
                    continue;
                }
                throw failure(pid, p, e);
            }
            StatusParser.Status st = StatusParser.parse(p.toString(), text);
            out.add(new ThreadInfo(tid, st.name(), ProcessState.ofCode(st.state()), st.signals().pending(),
                    st.signals().blocked()));
        }
        if (out.isEmpty()) {
            throw new ProcessGoneException(pid, taskDir.toString());
        }
        return out;
    }

    /** The working directory of PID; empty for zombies. */
    public Optional<PathLink> cwd(long pid) {
        return link(pid, "cwd");
    }

    /** The root directory of PID (not "/" after chroot); empty for zombies. */
    public Optional<PathLink> rootDir(long pid) {
        return link(pid, "root");
    }

    /** The executable of PID; empty for kernel threads and zombies. */
    public Optional<PathLink> exe(long pid) {
        return link(pid, "exe");
    }

    /** The resource limits of PID. */
    public List<Rlimit> limits(long pid) {
        Path p = dir(pid).resolve("limits");
        return LimitsParser.parse(p.toString(), read(pid, p));
    }

    /**
     * The sockets of PID's network namespace, read through /proc/PID/net. Tables missing from the
     * kernel (no IPv6, no packet sockets) are skipped.
     */
    public SocketTable sockets(long pid) {
        Map<Long, SocketInfo> m = new HashMap<>();
        Path net = dir(pid).resolve("net");
        table(pid, net.resolve("unix"), t -> NetParser.parseUnix(net.resolve("unix").toString(), t, m));
        inet(pid, net, "tcp", FdKind.TCP, false, m);
        inet(pid, net, "tcp6", FdKind.TCP, true, m);
        inet(pid, net, "udp", FdKind.UDP, false, m);
        inet(pid, net, "udp6", FdKind.UDP, true, m);
        inet(pid, net, "udplite", FdKind.UDP, false, m);
        inet(pid, net, "udplite6", FdKind.UDP, true, m);
        inet(pid, net, "raw", FdKind.RAW_SOCKET, false, m);
        inet(pid, net, "raw6", FdKind.RAW_SOCKET, true, m);
        table(pid, net.resolve("netlink"), t -> NetParser.parseNetlink(net.resolve("netlink").toString(), t, m));
        table(pid, net.resolve("packet"), t -> NetParser.parsePacket(net.resolve("packet").toString(), t, m));
        long netNs = namespaces(pid).inode(NamespaceType.NET);
        return new SocketTable(netNs, m, socketDiag(netNs));
    }

    /**
     * The kernel's socket table (NETLINK_SOCK_DIAG) for network namespace NET_NS: asked in jcr's own
     * namespace, so only when that is NET_NS and this is the real /proc (a fixture tree has no kernel
     * behind it); otherwise one that answers that the namespace is not jcr's.
     */
    private SocketDiag socketDiag(long netNs) {
        if (!root.equals(Path.of("/proc"))) {
            return SocketDiag.NONE;
        }
        long own = namespaces(selfPid()).inode(NamespaceType.NET);
        return own == netNs ? SocketDiag.kernel() : SocketDiag.foreign(netNs, own);
    }

    private void inet(long pid, Path net, String name, FdKind kind, boolean v6, Map<Long, SocketInfo> m) {
        Path p = net.resolve(name);
        table(pid, p, t -> NetParser.parseInet(p.toString(), t, kind, v6, m));
    }

    private void table(long pid, Path p, Consumer<String> parse) {
        String text;
        try {
            text = readText(p);
        } catch (NoSuchFileException e) {
            if (!exists(pid)) {
                throw new ProcessGoneException(pid, p.toString());
            }
            return;
        } catch (IOException e) {
            throw failure(pid, p, e);
        }
        parse.accept(text);
    }

    /** The open fds of PID, reading the socket tables of its network namespace first. */
    public List<OpenFd> fds(long pid) {
        return fds(pid, sockets(pid));
    }

    /**
     * The open fds of PID, by ascending number, classifying sockets with SOCKETS (the table of PID's
     * network namespace, so a tree-wide scan can read it once). An fd closed while being read is left
     * out: it is no longer part of the process.
     */
    public List<OpenFd> fds(long pid, SocketTable sockets) {
        Path fdDir = dir(pid).resolve("fd");
        Path infoDir = dir(pid).resolve("fdinfo");
        List<OpenFd> out = new ArrayList<>();
        boolean vanished = false;
        for (long n : numericEntries(pid, fdDir)) {
            String name = Long.toString(n);
            Path linkPath = fdDir.resolve(name);
            Path infoPath = infoDir.resolve(name);
            String link;
            FdInfoParser.FdInfo info;
            try {
                link = Files.readSymbolicLink(linkPath).toString();
                info = FdInfoParser.parse(infoPath.toString(),
                        readText(infoPath));
            } catch (NoSuchFileException e) {
                vanished = true;
                continue;
            } catch (IOException e) {
                if (isEsrch(e)) {
                    vanished = true;
                    break;
                }
                throw failure(pid, linkPath, e);
            }
            FdKind kind;
            FdDetail detail;
            if (FdClassifier.isPath(link)) {
                PathLink pl = PathLink.parse(link);
                Map<String, Object> attrs;
                try {
                    attrs = Files.readAttributes(linkPath, "unix:mode,rdev,size");
                } catch (NoSuchFileException e) {
                    vanished = true;
                    continue;
                } catch (IOException e) {
                    throw failure(pid, linkPath, e);
                }
                int mode = (Integer) attrs.get("mode");
                long rdev = (Long) attrs.get("rdev");
                kind = FdClassifier.classifyPath(pl, mode, rdev);
                detail = switch (kind) {
                    case CHAR_DEVICE, BLOCK_DEVICE, TTY, PTY_MASTER, PTY_SLAVE -> {
                        int major = Devices.major(rdev);
                        int minor = Devices.minor(rdev);
                        String known = kind == FdKind.BLOCK_DEVICE ? null : Devices.charDeviceName(major, minor);
                        int pty = kind == FdKind.PTY_SLAVE ? Devices.ptyIndex(major, minor)
                                : kind == FdKind.PTY_MASTER ? FdInfoParser.ttyIndex(info) : -1;
                        yield new FdDetail.Device(major, minor, known != null ? known : pl.path(), pty);
                    }
                    default -> new FdDetail.File(pl, (Long) attrs.get("size"));
                };
            } else {
                kind = FdClassifier.classifyPseudo(link, sockets);
                detail = switch (kind) {
                    case PIPE -> new FdDetail.Pipe(FdClassifier.bracketInode(link));
                    case UNIX_STREAM, UNIX_DGRAM, UNIX_SEQPACKET, TCP, UDP, RAW_SOCKET, NETLINK, PACKET ->
                            new FdDetail.Socket(sockets.get(FdClassifier.bracketInode(link)), sockets.diag());
                    case OTHER_ANON_INODE -> new FdDetail.AnonInode(FdClassifier.anonName(link));
                    default -> FdInfoParser.detail(infoPath.toString(), kind, info);
                };
            }
            List<FileLock> locks = FdInfoParser.locks((int) n, info);
            FileCalls.Owner owner = (info.flags() & OpenFd.O_ASYNC) != 0
                    || locks.stream().anyMatch(l -> l.kind() == FileLock.Kind.LEASE) ? owner(pid, (int) n) : null;
            out.add(new OpenFd((int) n, link, kind, info.flags(), info.position(), info.mntId(), info.inode(), detail,
                    locks, owner));
        }
        if (out.stream().anyMatch(f -> f.kind() == FdKind.INOTIFY)) {
            out = nameInotifyWatches(pid, out);
        }
        if (out.stream().anyMatch(f -> f.kind() == FdKind.EVENTPOLL)) {
            out = markClosedEpollTargets(out);
        }
        // An fd that vanished is either closed (fine: not in the snapshot) or the process exited
        // (then its fd table is being torn down and the list is not a real snapshot).
        if (vanished && !alive(pid)) {
            throw new ProcessGoneException(pid, fdDir.toString());
        }
        return out;
    }

    /**
     * The F_SETOWN owner of fd FD of PID, read through a duplicate of it (pidfd_getfd: the owner
     * belongs to the open file description, which the duplicate shares); null when jcr may not take it.
     */
    public FileCalls.Owner owner(long pid, int fd) {
        try {
            int pidfd = Linux.pidfdOpen((int) pid);
            try {
                int dup = Linux.pidfdGetfd(pidfd, fd, (int) pid);
                try {
                    return FileCalls.owner(dup);
                } finally {
                    Linux.close(dup);
                }
            } finally {
                Linux.close(pidfd);
            }
        } catch (SyscallException e) {
            return null;
        }
    }

    /** The process (thread group) thread TID belongs to, or TID itself when /proc does not say. */
    public long processOf(long tid) {
        try {
            for (String line : readText(dir(tid).resolve("status")).split("\n")) {
                if (line.startsWith("Tgid:")) {
                    return Long.parseLong(line.substring(5).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: the thread id is all there is
        }
        return tid;
    }

    /**
     * Gives inotify watches a path where one of the likely candidates has the watched inode: "/", the
     * top-level directories, the cwd, every file the process has open and their directories. Paths
     * are looked up through /proc/PID/root, i.e. in the process's own mount namespace.
     */
    private List<OpenFd> nameInotifyWatches(long pid, List<OpenFd> fds) {
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>();
        candidates.add("/");
        Path rootDir = dir(pid).resolve("root");
        try (DirectoryStream<Path> top = Files.newDirectoryStream(rootDir)) {
            for (Path p : top) {
                candidates.add("/" + p.getFileName());
            }
        } catch (IOException e) {
            // without the top level, fewer names are found; the watches stay known by inode
        }
        cwd(pid).ifPresent(c -> addWithParents(candidates, c.path()));
        for (OpenFd f : fds) {
            if (f.detail() instanceof FdDetail.File file && !file.path().deleted()) {
                addWithParents(candidates, file.path().path());
            }
        }
        Map<String, String> byInode = new HashMap<>();
        for (String c : candidates) {
            try {
                Map<String, Object> a = Files.readAttributes(c.equals("/") ? rootDir : rootDir.resolve(c.substring(1)),
                        "unix:ino,dev");
                long dev = (Long) a.get("dev");
                byInode.putIfAbsent(a.get("ino") + "@" + Devices.major(dev) + ":" + Devices.minor(dev), c);
            } catch (IOException | RuntimeException e) {
                // a candidate that vanished or is not reachable names nothing
            }
        }
        List<OpenFd> named = new ArrayList<>(fds.size());
        for (OpenFd f : fds) {
            if (f.detail() instanceof FdDetail.Inotify in) {
                List<FdDetail.InotifyWatch> ws = new ArrayList<>();
                for (FdDetail.InotifyWatch w : in.watches()) {
                    ws.add(w.withPath(byInode.get(w.inode() + "@" + w.devMajor() + ":" + w.devMinor())));
                }
                f = f.withDetail(new FdDetail.Inotify(ws));
            }
            named.add(f);
        }
        return named;
    }

    /**
     * Marks the epoll targets whose fd number is no longer open on a file with the target's inode:
     * the kernel keeps a registration under the number it was added with after that fd is closed
     * (the file living on as a dup or elsewhere), or reused for another file.
     */
    private static List<OpenFd> markClosedEpollTargets(List<OpenFd> fds) {
        Map<Integer, Long> inodes = new HashMap<>();
        fds.forEach(f -> inodes.put(f.fd(), f.inode()));
        List<OpenFd> out = new ArrayList<>(fds.size());
        for (OpenFd f : fds) {
            if (f.detail() instanceof FdDetail.Epoll ep) {
                List<FdDetail.EpollTarget> ts = new ArrayList<>();
                for (FdDetail.EpollTarget t : ep.targets()) {
                    Long ino = inodes.get(t.fd());
                    ts.add(ino == null || t.inode() >= 0 && ino != t.inode() ? t.closed() : t);
                }
                f = new OpenFd(f.fd(), f.link(), f.kind(), f.flags(), f.position(), f.mntId(), f.inode(), new FdDetail.Epoll(ts));
            }
            out.add(f);
        }
        return out;
    }

    private static void addWithParents(java.util.Set<String> into, String path) {
        if (!path.startsWith("/")) {
            return;
        }
        String p = path;
        while (!p.isEmpty() && into.add(p)) {
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "/" : p.substring(0, slash);
            if (p.equals("/")) {
                break;
            }
        }
    }

    /** True if PID exists and is neither a zombie nor dead. */
    public boolean alive(long pid) {
        Path p = dir(pid).resolve("stat");
        try {
            char state = StatParser.parse(p.toString(), readText(p)).state();
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<PathLink> link(long pid, String name) {
        Path p = dir(pid).resolve(name);
        try {
            return Optional.of(PathLink.parse(Files.readSymbolicLink(p).toString()));
        } catch (NoSuchFileException e) {
            if (!exists(pid)) {
                throw new ProcessGoneException(pid, p.toString());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw failure(pid, p, e);
        }
    }

    /** Numeric entries of DIR (fd, task), ascending. */
    private long[] numericEntries(long pid, Path dir) {
        long[] buf = new long[16];
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long v = parsePid(p.getFileName().toString());
                if (v >= 0) {
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, n * 2);
                    }
                    buf[n++] = v;
                }
            }
        } catch (IOException e) {
            throw failure(pid, dir, e);
        }
        long[] out = Arrays.copyOf(buf, n);
        Arrays.sort(out);
        return out;
    }

    /** Reads a whole /proc file of PID, mapping errors to typed exceptions. */
    public String read(long pid, Path p) {
        try {
            return readText(p);
        } catch (IOException e) {
            throw failure(pid, p, e);
        }
    }

    // /proc files report size 0, so Files.readAllBytes stats, guesses and grows a fresh buffer every
    // time; one reused buffer per thread halves the cost of a tree scan.
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[16384]);

    static String readText(Path p) throws IOException {
        byte[] buf = BUFFER.get();
        int n = 0;
        try (java.io.FileInputStream in = new java.io.FileInputStream(p.toFile())) {
            int r;
            while ((r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                    BUFFER.set(buf);
                }
            }
        } catch (IOException e) {
            throw translate(p, e);
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * FileInputStream reports an open failure as FileNotFoundException("PATH (strerror)") and a read
     * failure as IOException("strerror") — e.g. ENOENT when the fd behind an fdinfo file was closed
     * between open and read. Recover the errno kind so callers can tell "gone" from "broken".
     */
    private static IOException translate(Path p, IOException e) {
        if (e instanceof FileSystemException) {
            return e;
        }
        String m = String.valueOf(e.getMessage());
        if (m.endsWith("Permission denied") || m.endsWith("(Permission denied)")) {
            return new AccessDeniedException(p.toString());
        }
        if (m.endsWith("No such process") || m.endsWith("(No such process)")) {
            return new FileSystemException(p.toString(), null, "No such process");
        }
        if (m.endsWith("No such file or directory") || m.endsWith("(No such file or directory)")) {
            return new NoSuchFileException(p.toString());
        }
        return e;
    }

    private RuntimeException failure(long pid, Path p, IOException e) {
        if (e instanceof AccessDeniedException) {
            // an exiting process loses its mm and files; reads then fail with EACCES, not ENOENT
            return alive(pid) ? new ProcAccessException(pid, p.toString(), accessHint(pid))
                    : new ProcessGoneException(pid, p.toString());
        }
        if (e instanceof NoSuchFileException || isEsrch(e)) {
            return new ProcessGoneException(pid, p.toString());
        }
        return new ProcIoException(p.toString(), e);
    }

    /**
     * Why the kernel refused jcr a file of PID: "run jcr as root" only when jcr is not privileged; a
     * privileged jcr is told what the process has beyond it (a process holding capabilities its
     * reader lacks is protected even from root), else that the kernel refuses for another reason.
     */
    private String accessHint(long pid) {
        try {
            // status files only, read raw: a failure here must not come back through failure()
            StatusParser.Status me = rawStatus(root.resolve("self").resolve("status"));
            long meEff = me.capEffective();
            boolean ptrace = (meEff & (1L << Capabilities.CAP_SYS_PTRACE)) != 0;
            boolean isRoot = me.uids().effective() == 0;
            if (!isRoot && !ptrace) {
                return "run jcr as root";
            }
            String who = !isRoot ? "jcr has CAP_SYS_PTRACE"
                    : ptrace ? "jcr runs as root" : "jcr runs as root but without CAP_SYS_PTRACE";
            long beyond = rawStatus(dir(pid).resolve("status")).capEffective() & ~meEff;
            if (beyond != 0) {
                return who + ", yet the kernel refuses; the process holds capabilities jcr lacks: "
                        + String.join(", ", Capabilities.names(beyond));
            }
            return who + ", yet the kernel refuses (another user namespace or a security module)";
        } catch (IOException | RuntimeException unreadable) {
            return "run jcr as root";
        }
    }

    private static StatusParser.Status rawStatus(Path p) throws IOException {
        return StatusParser.parse(p.toString(), Files.readString(p));
    }

    /** ESRCH ("No such process") reaches Java as a plain FileSystemException. */
    private static boolean isEsrch(IOException e) {
        return e instanceof FileSystemException fse && "No such process".equals(fse.getReason());
    }

    private static long parsePid(String s) {
        long v = 0;
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static List<String> splitNul(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }
}
