package dev.jcr.show.summary;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileLockEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.resource.DriverTable;
import dev.jcr.resource.Options;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;
import dev.jcr.resource.file.VirtualFs;
import dev.jcr.resource.lock.FileLocks;
import dev.jcr.resource.device.Terminals;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.FileNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What in an image directory jcr could not restore, asked of the same support table that {@code jcr
 * check} and the analyzer use ({@link DriverTable}): every fd whose kind has no driver (or needs an
 * option), every mapping CRIU marked unsupported or that jcr's memory driver does not handle, the
 * files and locks the restore's own rules refuse (a /proc file of a process not restored, a lease
 * being broken), and images of kinds jcr's restore does not read.
 */
public final class Restorability {

    /**
     * One thing that stands in the way: where it is ({@code 20123 fd 5}), what it is, and why; OPTION is
     * the restore option that deals with it when the verdict is NEEDS_OPTION (e.g. --shell-job), else null.
     */
    public record Blocker(int pid, String where, String what, String verdict, String why, String option) {
    }

    /** Task states restore recreates: alive 1, dead 2 (a zombie, as CRIU writes it), stopped 3, zombie 6. */
    private static final Set<Integer> RESTORED_STATES = Set.of(1, 2, 3, 6);
    private static final Set<String> STATELESS_DEVICES = Set.of("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom");
    private static final int S_IFMT = 0170000;

    private Restorability() {
    }

    public static List<Blocker> of(Dump dump) {
        return of(dump, DriverTable.standard().supportTable());
    }

    static List<Blocker> of(Dump dump, Map<ResourceKind, Support> table) {
        List<Blocker> out = new ArrayList<>();
        java.util.Set<Integer> pids = new java.util.HashSet<>();
        dump.processes().forEach(p -> pids.add(p.getPid()));
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            var core = dump.core(pid);
            if (core.hasTc() && !RESTORED_STATES.contains(core.getTc().getTaskState())) {
                out.add(new Blocker(pid, Integer.toString(pid), "process in state "
                        + dev.jcr.show.model.Tasks.state(core.getTc().getTaskState()), Verdict.UNSUPPORTED.name(),
                        "restore recreates running, stopped and dead (zombie) tasks only", null));
            }
            if (!pids.contains(p.getSid()) && !pids.contains(p.getPpid())) {
                // as jcr restore: a root whose session leader was not dumped joins jcr's session, with --shell-job
                out.add(new Blocker(pid, pid + " session", "session " + p.getSid() + ", whose leader was not dumped",
                        Verdict.NEEDS_OPTION.name(), "--shell-job: restored into the restoring shell's session", Options.SHELL_JOB));
            }
            for (FdinfoEntry fd : dump.fds(pid)) {
                Optional<FileEntry> f = dump.file(fd.getId());
                ResourceKind kind = f.map(Restorability::kindOf).orElse(ResourceKind.UNKNOWN_FD);
                String what = dump.names().of(fd.getType(), fd.getId());
                Support s = table.get(kind);
                if (s == null || s.verdict() != Verdict.SUPPORTED) {
                    boolean option = s != null && s.verdict() == Verdict.NEEDS_OPTION;
                    out.add(new Blocker(pid, pid + " fd " + fd.getFd(), kind.words() + " " + what,
                            s == null ? Verdict.UNSUPPORTED.name() : s.verdict().name(), s == null ? "not supported yet" : s.condition(),
                            option ? optionOf(kind) : null));
                } else if (kind == ResourceKind.CHAR_DEVICE && !STATELESS_DEVICES.contains(what)) {
                    out.add(new Blocker(pid, pid + " fd " + fd.getFd(), "character device " + what,
                            Verdict.UNSUPPORTED.name(), s.condition(), null));
                } else if ((kind == ResourceKind.REGULAR_FILE || kind == ResourceKind.DIRECTORY) && f.get().hasReg()
                        && VirtualFs.refusal(f.get().getReg().getName(), pids) != null) {
                    out.add(new Blocker(pid, pid + " fd " + fd.getFd(), kind.words() + " " + what,
                            Verdict.UNSUPPORTED.name(), VirtualFs.refusal(f.get().getReg().getName(), pids), null));
                }
            }
            if (dump.hasMm(pid)) {
                for (VmaEntry v : dump.mm(pid).getVmasList()) {
                    String why = vmaProblem(v.getStatus());
                    if (why != null) {
                        out.add(new Blocker(pid, String.format("%d vma %x-%x", pid, v.getStart(), v.getEnd()),
                                "mapping " + dump.names().vma(dump.mm(pid), v) + " (" + FileNames.status(v.getStatus()) + ")",
                                Verdict.UNSUPPORTED.name(), why, null));
                    }
                }
            }
        }
        for (ImageEntry e : dump.images().read(ImageKind.FILE_LOCKS, null)) {
            FileLockEntry l = e.as(FileLockEntry.class);
            String why = FileLocks.refusal(l);
            if (why != null) {
                out.add(new Blocker(l.getPid(), l.getPid() + " fd " + l.getFd(), "file lock (filelocks.img entry "
                        + e.index() + ")", Verdict.UNSUPPORTED.name(), why, null));
            }
        }
        for (ImageKind k : List.of(ImageKind.TCP_STREAM, ImageKind.IPCNS_SHM, ImageKind.IPCNS_MSG,
                ImageKind.IPCNS_SEM, ImageKind.BPFMAP_DATA, ImageKind.FANOTIFY_MARK, ImageKind.TTY_INFO)) {
            for (String name : presentFiles(dump, k)) {
                boolean tty = k == ImageKind.TTY_INFO;
                if (tty && ptyMasterDumped(dump)) {
                    continue; // a pty with its master: the pty driver restores it (its fds are judged above)
                }
                out.add(new Blocker(0, name, describe(k), tty ? Verdict.NEEDS_OPTION.name() : Verdict.UNSUPPORTED.name(),
                        tty ? table.get(ResourceKind.TERMINAL).condition() : "jcr's restore does not read this image yet",
                        tty ? Options.SHELL_JOB : null));
            }
        }
        return List.copyOf(out);
    }

    /** The option a NEEDS_OPTION kind asks for (only terminals do). */
    private static String optionOf(ResourceKind kind) {
        return kind == ResourceKind.TERMINAL ? Options.SHELL_JOB : null;
    }

    /**
     * The resource kind of a file object in an image, as the live analyzer would classify it. A terminal is
     * a regular file entry named /dev/pts/N or /dev/ttyN (jcr and CRIU --shell-job dumps write it so), and
     * jcr's restore reattaches it with --shell-job.
     */
    public static ResourceKind kindOf(FileEntry f) {
        return switch (f.getType()) {
            case REG -> {
                if (f.hasReg() && Terminals.isTerminal(f.getReg().getName())) {
                    yield ResourceKind.TERMINAL;
                }
                int mode = f.hasReg() ? f.getReg().getMode() & S_IFMT : 0;
                yield switch (mode) {
                    case 0040000 -> ResourceKind.DIRECTORY;
                    case 0020000 -> ResourceKind.CHAR_DEVICE;
                    case 0060000 -> ResourceKind.BLOCK_DEVICE;
                    case 0010000 -> ResourceKind.FIFO;
                    default -> f.hasReg() && STATELESS_DEVICES.contains(f.getReg().getName()) ? ResourceKind.CHAR_DEVICE
                            : ResourceKind.REGULAR_FILE;
                };
            }
            case PIPE -> ResourceKind.PIPE;
            case FIFO -> ResourceKind.FIFO;
            case INETSK -> !f.hasIsk() ? ResourceKind.OTHER_SOCKET : switch (f.getIsk().getType()) {
                case 1 -> ResourceKind.TCP_SOCKET;
                case 2 -> ResourceKind.UDP_SOCKET;
                case 3 -> ResourceKind.RAW_SOCKET;
                default -> ResourceKind.OTHER_SOCKET;
            };
            case UNIXSK -> ResourceKind.UNIX_SOCKET;
            case EVENTFD -> ResourceKind.EVENTFD;
            case EVENTPOLL -> ResourceKind.EVENTPOLL;
            case INOTIFY -> ResourceKind.INOTIFY;
            case FANOTIFY -> ResourceKind.FANOTIFY;
            case SIGNALFD -> ResourceKind.SIGNALFD;
            case TIMERFD -> ResourceKind.TIMERFD;
            case MEMFD -> ResourceKind.MEMFD;
            case PACKETSK -> ResourceKind.PACKET_SOCKET;
            case NETLINKSK -> ResourceKind.NETLINK_SOCKET;
            case TTY -> ResourceKind.PTY;
            case BPFMAP -> ResourceKind.BPF;
            case PIDFD -> ResourceKind.PIDFD;
            default -> ResourceKind.UNKNOWN_FD;
        };
    }

    /** Why a mapping with these status bits cannot be restored by jcr, or null when it can. */
    static String vmaProblem(int status) {
        if ((status & FileNames.VMA_UNSUPP) != 0) {
            return "the dumper marked it unsupported (VMA_UNSUPP)";
        }
        if ((status & FileNames.VMA_SYSVIPC) != 0) {
            return "System V shared memory: not supported yet";
        }
        if ((status & FileNames.VMA_MEMFD) != 0) {
            return "memfd mapping: not supported yet";
        }
        if ((status & FileNames.VMA_AIORING) != 0) {
            return "AIO ring: not supported yet";
        }
        if ((status & FileNames.VMA_SOCKET) != 0) {
            return "packet socket ring: not supported yet";
        }
        return null;
    }

    /** True when tty-info.img holds a pty master (odd ids are masters: the pty's number doubled, plus one). */
    private static boolean ptyMasterDumped(Dump dump) {
        return dump.readAll(ImageKind.TTY_INFO, null, dev.jcr.image.proto.TtyInfoEntry.class).stream()
                .anyMatch(t -> t.hasPty() && (t.getId() & 1) != 0);
    }

    private static List<String> presentFiles(Dump dump, ImageKind k) {
        java.util.regex.Pattern pat = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(k.fileTemplate()).replace("%s", "\\E.+\\Q"));
        return dump.images().files().stream().map(f -> f.getFileName().toString()).filter(n -> pat.matcher(n).matches()).toList();
    }

    static String describe(ImageKind k) {
        return switch (k) {
            case TCP_STREAM -> "an established TCP connection's queues";
            case IPCNS_SHM, IPCNS_MSG, IPCNS_SEM -> "System V IPC objects of the IPC namespace";
            case BPFMAP_DATA -> "BPF map contents";
            case FANOTIFY_MARK -> "fanotify marks";
            case TTY_INFO -> "terminal state (tty-info.img)";
            default -> k.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
