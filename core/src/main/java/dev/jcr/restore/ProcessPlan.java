package dev.jcr.restore;

import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.MmEntry;
import java.util.List;

/**
 * One process to recreate, read and checked from its images.
 *
 * @param threads the main thread first
 * @param runs    its pagemap (which pages the pages file holds for which address)
 * @param pagesId which pages-N.img holds its pages
 * @param pages   how many pages will be written
 */
public record ProcessPlan(int pid, int ppid, int pgid, int sid, List<ThreadPlan> threads, MmEntry mm,
        List<FdinfoEntry> fds, FsEntry fs, List<ProcessMemory.Run> runs, int pagesId, long pages) {

    public CoreEntry core() {
        return threads.get(0).core();
    }

    public String comm() {
        return core().getTc().getComm();
    }

    /** Dead when dumped (a zombie): recreated only to exit with {@link #exitStatus()} and wait for its parent. */
    public boolean zombie() {
        return TaskStates.zombie(core().getTc().getTaskState());
    }

    /** The wait status a zombie's parent collects (exit code << 8, or the killing signal). */
    public int exitStatus() {
        return core().getTc().getExitCode();
    }

    /** Stopped (SIGSTOP, SIGTSTP …) when dumped: it must not run after the restore until continued. */
    public boolean stopped() {
        return core().getTc().getTaskState() == TaskStates.STOPPED;
    }

    /** The signal that stopped it (SIGSTOP when the image does not say). */
    public int stopSignal() {
        int s = core().getTc().getStopSigno();
        return s > 0 && s < 65 ? s : 19;
    }
}
