package dev.jcr.ptrace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The few /proc facts freezing needs (tasks, children, state, tracer, ppid/pgid/sid, vDSO range).
 * Deliberately minimal and lenient: a process that vanishes while we look yields "nothing" here, and
 * the caller decides whether that matters. The full /proc model lives in dev.jcr.proc.
 */
final class ProcFiles {

    private final Path root;

    ProcFiles(Path procRoot) {
        this.root = procRoot;
    }

    static ProcFiles system() {
        return new ProcFiles(Path.of("/proc"));
    }

    boolean exists(int pid) {
        return Files.isDirectory(root.resolve(Integer.toString(pid)));
    }

    /** Thread ids of process PID, sorted; empty when the process is gone. */
    List<Integer> tasks(int pid) {
        TreeSet<Integer> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(pid + "/task"))) {
            for (Path p : ds) {
                out.add(Integer.parseInt(p.getFileName().toString()));
            }
        } catch (IOException e) {
            return List.of();
        }
        return new ArrayList<>(out);
    }

    /** Children of every thread of PID (from /proc/PID/task/TID/children), sorted. */
    List<Integer> children(int pid) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int tid : tasks(pid)) {
            Optional<String> text = read(pid + "/task/" + tid + "/children");
            text.ifPresent(t -> {
                for (String s : t.trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        out.add(Integer.parseInt(s));
                    }
                }
            });
        }
        return new ArrayList<>(out);
    }

    /** Fields of /proc/PID/task/TID/stat after the comm, split; empty when gone. */
    Optional<String[]> stat(int pid, int tid) {
        return read(pid + "/task/" + tid + "/stat").map(s -> s.substring(s.lastIndexOf(')') + 2).trim().split(" "));
    }

    /** The state letter of a thread (R, S, D, T, t, Z, X …), or 'X' when it is gone. */
    char state(int pid, int tid) {
        return stat(pid, tid).map(f -> f[0].charAt(0)).orElse('X');
    }

    /** TracerPid from /proc/TID/status: 0 when untraced or gone. */
    int tracerPid(int tid) {
        return read(tid + "/status").map(s -> {
            for (String line : s.split("\n")) {
                if (line.startsWith("TracerPid:")) {
                    return Integer.parseInt(line.substring(10).trim());
                }
            }
            return 0;
        }).orElse(0);
    }

    /** The Tgid of a thread id, or -1 when it is gone. */
    int tgid(int tid) {
        return read(tid + "/status").map(s -> {
            for (String line : s.split("\n")) {
                if (line.startsWith("Tgid:")) {
                    return Integer.parseInt(line.substring(5).trim());
                }
            }
            return -1;
        }).orElse(-1);
    }

    String comm(int pid) {
        return read(pid + "/comm").map(String::trim).orElse("?");
    }

    /** [start, end) of the mapping named NAME (e.g. "[vdso]") in /proc/PID/maps, if any. */
    Optional<long[]> namedMapping(int pid, String name) {
        return read(pid + "/maps").flatMap(maps -> {
            for (String line : maps.split("\n")) {
                if (line.endsWith(" " + name)) {
                    return Optional.of(range(line));
                }
            }
            return Optional.empty();
        });
    }

    /** [start, end) of the first executable mapping of PID. */
    Optional<long[]> firstExecutableMapping(int pid) {
        return read(pid + "/maps").flatMap(maps -> {
            for (String line : maps.split("\n")) {
                String[] f = line.split("\\s+");
                if (f.length > 1 && f[1].charAt(2) == 'x' && !line.endsWith("[vsyscall]")) {
                    return Optional.of(range(line));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The mapping of PID that contains ADDR, as {start, end, writable ? 1 : 0}; empty when none does
     * (or PID is gone).
     */
    Optional<long[]> mappingContaining(int pid, long addr) {
        return read(pid + "/maps").flatMap(maps -> {
            for (String line : maps.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                long[] r = range(line);
                if (Long.compareUnsigned(addr, r[0]) >= 0 && Long.compareUnsigned(addr, r[1]) < 0) {
                    String perms = line.split("\\s+")[1];
                    return Optional.of(new long[] {r[0], r[1], perms.charAt(1) == 'w' ? 1 : 0});
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The readable executable mappings of PID as {start, end} pairs, the C library's first (where the
     * rt_sigreturn trampoline of signal handlers lives), then the others in address order.
     */
    java.util.List<long[]> executableMappings(int pid) {
        java.util.List<long[]> libc = new ArrayList<>();
        java.util.List<long[]> other = new ArrayList<>();
        for (String line : read(pid + "/maps").orElse("").split("\n")) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || f[1].length() < 3 || f[1].charAt(0) != 'r' || f[1].charAt(2) != 'x'
                    || line.endsWith("[vsyscall]")) {
                continue;
            }
            String name = f.length > 5 ? f[5] : "";
            String base = name.substring(name.lastIndexOf('/') + 1);
            (base.startsWith("libc.") || base.startsWith("libc-") || base.startsWith("ld-musl") ? libc : other)
                    .add(range(line));
        }
        libc.addAll(other);
        return libc;
    }

    private static long[] range(String mapsLine) {
        String r = mapsLine.substring(0, mapsLine.indexOf(' '));
        int dash = r.indexOf('-');
        return new long[] {Long.parseUnsignedLong(r.substring(0, dash), 16),
                Long.parseUnsignedLong(r.substring(dash + 1), 16)};
    }

    Optional<String> read(String rel) {
        try {
            return Optional.of(Files.readString(root.resolve(rel)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH surfaces as an IOException while reading a vanishing task's files
            return Optional.empty();
        }
    }
}
