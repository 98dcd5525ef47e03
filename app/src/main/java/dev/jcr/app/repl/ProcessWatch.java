package dev.jcr.app.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Whether processes are still alive, read from /proc (root injectable for tests). */
final class ProcessWatch {

    private final Path procRoot;
    private final List<Long> pids;

    /**
     * Watches those of PIDS that are alive now: a PID that never existed is the command's error
     * to report, not a job that ended.
     */
    ProcessWatch(Path procRoot, Collection<Long> pids) {
        this.procRoot = procRoot;
        this.pids = pids.stream().filter(pid -> alive(procRoot, pid)).distinct().toList();
    }

    List<Long> pids() {
        return pids;
    }

    /** The first watched process that is gone (or a zombie), if any. */
    Optional<Long> firstGone() {
        for (long pid : pids) {
            if (!alive(procRoot, pid)) {
                return Optional.of(pid);
            }
        }
        return Optional.empty();
    }

    static boolean alive(Path procRoot, long pid) {
        try {
            String stat = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"));
            int close = stat.lastIndexOf(')'); // the comm may itself contain ')'
            char state = close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
