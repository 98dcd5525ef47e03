package dev.jcr.resource;

import dev.jcr.proc.OpenFd;
import dev.jcr.proc.ProcFs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The whole tree a check or a dump takes: its processes, every fd each one holds, and the options given.
 * Some answers need it: a unix socket can be dumped only with its peer, a pty slave only with its
 * master (or --shell-job). A driver answers for one fd alone ({@link ResourceDriver#assess}) and then,
 * given this view, for the fd inside the tree ({@link FileDriver#assessInTree}); the check and the dump
 * both ask both, so they agree.
 */
public final class TreeView {

    /** Fd FD of process PID of the tree. */
    public record Held(long pid, OpenFd fd) {
    }

    private final ProcFs proc;
    private final Map<Long, String> comms;
    private final Map<Long, List<OpenFd>> fds;
    private final Set<String> options;
    private final boolean frozen;
    private final Map<String, List<Held>> byLink = new HashMap<>();

    /** PROCESSES: pid to comm, parents first; FDS: each process's fds; OPTIONS: what the user allowed. */
    public TreeView(ProcFs proc, Map<Long, String> processes, Map<Long, List<OpenFd>> fds, Set<String> options) {
        this(proc, processes, fds, options, false);
    }

    /** The same, FROZEN when the tree is stopped for a dump (nothing changes while a driver looks). */
    public TreeView(ProcFs proc, Map<Long, String> processes, Map<Long, List<OpenFd>> fds, Set<String> options,
            boolean frozen) {
        this.proc = proc;
        this.frozen = frozen;
        this.comms = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        this.fds = Collections.unmodifiableMap(new HashMap<>(fds));
        this.options = Set.copyOf(options);
        fds.forEach((pid, list) -> list.forEach(fd -> byLink.computeIfAbsent(fd.link(), k -> new ArrayList<>())
                .add(new Held(pid, fd))));
    }

    /** The processes of the tree, parents first. */
    public Set<Long> pids() {
        return comms.keySet();
    }

    public boolean contains(long pid) {
        return comms.containsKey(pid);
    }

    /** The command name of PID, or "?" when it is not in the tree. */
    public String comm(long pid) {
        return comms.getOrDefault(pid, "?");
    }

    /** The fds of PID (empty when it is not in the tree). */
    public List<OpenFd> fds(long pid) {
        return fds.getOrDefault(pid, List.of());
    }

    /** The fds of the tree whose /proc link reads LINK ("socket:[1234]", "/dev/pts/5"): who in the tree holds it. */
    public List<Held> holding(String link) {
        return byLink.getOrDefault(link, List.of());
    }

    /** The fds of the tree for which WHICH holds. */
    public List<Held> find(Predicate<OpenFd> which) {
        List<Held> out = new ArrayList<>();
        comms.keySet().forEach(pid -> fds(pid).stream().filter(which).forEach(fd -> out.add(new Held(pid, fd))));
        return out;
    }

    /**
     * True for the tree a dump has stopped: what a driver reads of it stays as read, and the driver's
     * dump reads everything anyway; false for a check of running processes.
     */
    public boolean frozen() {
        return frozen;
    }

    /** True when the user gave OPTION (e.g. {@link Options#EXT_UNIX_SK}). */
    public boolean option(String option) {
        return options.contains(option);
    }

    public Set<String> options() {
        return options;
    }

    /** /proc, e.g. to name a process outside the tree that holds something. */
    public ProcFs proc() {
        return proc;
    }

    /** "pid 1 (systemd)": a process outside (or inside) the tree, for messages. */
    public String describe(long pid) {
        String comm = comms.get(pid);
        if (comm == null) {
            try {
                comm = proc.process(pid).comm();
            } catch (RuntimeException e) {
                comm = "?";
            }
        }
        return "pid " + pid + " (" + comm + ")";
    }
}
