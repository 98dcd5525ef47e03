package dev.jcr.restore;

import dev.jcr.image.PageChain;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.MmEntry;
import java.util.List;

/**
 * One process to recreate, read and checked from its images.
 *
 * @param threads the main thread first
 * @param memory  its pages, resolved through the chain of parent images (incremental dumps)
 * @param pages   how many pages will be written
 */
public record ProcessPlan(int pid, int ppid, int pgid, int sid, List<ThreadPlan> threads, MmEntry mm,
        List<FdinfoEntry> fds, FsEntry fs, PageChain memory, long pages) {

    public CoreEntry core() {
        return threads.get(0).core();
    }

    public String comm() {
        return core().getTc().getComm();
    }
}
