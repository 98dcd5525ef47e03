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
}
