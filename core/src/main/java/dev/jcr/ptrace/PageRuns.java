package dev.jcr.ptrace;

import java.util.Arrays;

/**
 * Address ranges of a process's memory, page aligned, ascending and merged: what exists (per pagemap)
 * and will be read. Kept as two parallel arrays because they feed process_vm_readv's iovecs directly.
 */
public final class PageRuns {
    private long[] addrs;
    private long[] lens;
    private int count;
    private long bytes;

    public PageRuns() {
        this.addrs = new long[16];
        this.lens = new long[16];
    }

    /** Adds [ADDR, ADDR+LEN); merges with the last run when adjacent. */
    public void add(long addr, long len) {
        if (len <= 0) {
            return;
        }
        bytes += len;
        if (count > 0 && addrs[count - 1] + lens[count - 1] == addr) {
            lens[count - 1] += len;
            return;
        }
        if (count == addrs.length) {
            addrs = Arrays.copyOf(addrs, count * 2);
            lens = Arrays.copyOf(lens, count * 2);
        }
        addrs[count] = addr;
        lens[count] = len;
        count++;
    }

    public int count() {
        return count;
    }

    public long addr(int i) {
        return addrs[i];
    }

    public long len(int i) {
        return lens[i];
    }

    /** Total bytes of all runs. */
    public long bytes() {
        return bytes;
    }

    public long pages() {
        return bytes / RemoteSyscalls.PAGE;
    }

    long[] addrArray() {
        return addrs;
    }

    long[] lenArray() {
        return lens;
    }


    /**
     * These runs cut into consecutive parts of at most MAX bytes each (a run may be split across two
     * parts), in order: the unit of one process_vm_readv batch into a window or buffer of MAX bytes.
     */
    public java.util.List<PageRuns> split(long max) {
        java.util.List<PageRuns> parts = new java.util.ArrayList<>();
        int i = 0;
        long inRun = 0; // bytes of run i already given to a part
        while (i < count) {
            PageRuns part = new PageRuns();
            long filled = 0;
            while (i < count && filled < max) {
                long take = Math.min(lens[i] - inRun, max - filled);
                part.add(addrs[i] + inRun, take);
                filled += take;
                inRun += take;
                if (inRun == lens[i]) {
                    i++;
                    inRun = 0;
                }
            }
            parts.add(part);
        }
        return parts;
    }
    @Override
    public String toString() {
        return count + " runs, " + pages() + " pages";
    }
}
