package dev.jcr.restore;

import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a restore will do, read from the images and validated before the first process is
 * created: the processes (parents before children), the shared file table, the images as the file
 * drivers read them (with what they derived from them at plan time: pipe buffers, deleted files' content …)
 * and the shared anonymous memory objects (keyed by shmid).
 */
public record RestorePlan(Path dir, List<ProcessPlan> processes, Map<Integer, FileEntry> files, FileImages images,
        Map<Long, SharedMemoryPlan> shmem) {

    /**
     * The first fd that was a terminal, as "process P fd N (/dev/pts/3)", or empty. Such a tree was
     * dumped with --shell-job and is restored only with it (its terminals become jcr's).
     */
    public java.util.Optional<String> terminalUse() {
        for (ProcessPlan p : processes) {
            for (var fd : p.fds()) {
                FileEntry f = files.get(fd.getId());
                if (f != null && f.hasReg() && dev.jcr.resource.device.Terminals.isTerminal(f.getReg().getName())) {
                    return java.util.Optional.of("process " + p.pid() + " fd " + fd.getFd() + " (" + dev.jcr.Quote.of(f.getReg().getName()) + ")");
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The process PID of the plan (null when it has none). */
    public ProcessPlan process(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst().orElse(null);
    }

    public ProcessPlan root() {
        return processes.get(0);
    }

    /** The processes that run after the restore (zombies are created only to exit). */
    public List<ProcessPlan> living() {
        return processes.stream().filter(p -> !p.zombie()).toList();
    }

    public long totalPages() {
        return processes.stream().mapToLong(ProcessPlan::pages).sum();
    }

    /** Every pid and tid the restore will take. */
    public List<Integer> allIds() {
        return processes.stream().flatMap(p -> p.threads().stream().map(ThreadPlan::tid)).toList();
    }
}
