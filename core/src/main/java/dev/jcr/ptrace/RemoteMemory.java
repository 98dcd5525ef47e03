package dev.jcr.ptrace;

import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reading and writing another process's memory. Needs no ptrace stop and may run on any thread
 * (the permission is PTRACE_MODE_ATTACH, which a tracer has); memory of a frozen process is stable.
 *
 * <p>Reads use process_vm_readv with up to 1024 ranges per call, straight into the caller's buffer:
 * for a dump, that buffer is a shared mapping of the pages file, so each byte is copied once, from
 * the target's page to the file's page cache. Pages process_vm_readv cannot read (PROT_NONE, or a
 * range that faults) are read through /proc/PID/mem, which forces access like a debugger.
 * Writes use process_vm_writev, and /proc/PID/mem for read-only pages (e.g. code).
 */
public final class RemoteMemory {

    private static final long CHUNK = 64L << 20; // file mapping window

    private final int pid;

    public RemoteMemory(int pid) {
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    /**
     * Reads RUNS back to back into DST from its position (position not moved). Returns the bytes
     * read, which is {@code runs.bytes()} unless DST is too small.
     */
    public long read(PageRuns runs, ByteBuffer dst) {
        if (dst.remaining() < runs.bytes()) {
            throw new IllegalArgumentException("buffer of " + dst.remaining() + " bytes for " + runs.bytes());
        }
        return read(runs, 0, runs.count(), Linux.addressOf(dst) + dst.position(), dst.remaining());
    }

    /** Reads LEN bytes at ADDR. */
    public byte[] read(long addr, int len) {
        ByteBuffer b = ByteBuffer.allocateDirect(len);
        PageRuns r = new PageRuns();
        r.add(addr, len);
        read(r, b);
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    /**
     * Copies RUNS into FILE at OFFSET (the file grows as needed), reading straight into shared
     * mappings of the file in 64 MiB windows. Returns bytes copied.
     */
    public long copyToFile(PageRuns runs, Path file, long offset) {
        if (offset % RemoteSyscalls.PAGE != 0) {
            throw new IllegalArgumentException("offset must be page aligned: " + offset);
        }
        int fd = Linux.open(file.toString(), Linux.O_RDWR | 0x40 /* O_CREAT */, 0600);
        try {
            // reserve the blocks now: a full disk must be ENOSPC here, not a failed fault (EFAULT) mid-copy
            Linux.fallocate(fd, offset, runs.bytes());
            long written = 0;
            for (PageRuns part : runs.split(CHUNK)) {
                long window = part.bytes();
                long map = Linux.mmap(0, window, Linux.PROT_READ | Linux.PROT_WRITE,
                        Linux.MAP_SHARED | Linux.MAP_POPULATE, fd, offset + written);
                try {
                    read(part, 0, part.count(), map, window);
                } finally {
                    Linux.munmap(map, window);
                }
                written += window;
            }
            return written;
        } finally {
            Linux.close(fd);
        }
    }

    /**
     * Copies RUNS into FILE at OFFSET through one small reusable buffer: process_vm_readv fills
     * 1 MiB (it stays in the CPU cache), pwrite moves it to the page cache. Two copies, but the first
     * is cache-hot and no file page is zero-filled first, which makes this the faster path on this
     * machine (see bench/memread.sh); write errors (ENOSPC) surface as {@link SyscallException}.
     */
    public long streamToFile(PageRuns runs, Path file, long offset) {
        int fd = Linux.open(file.toString(), Linux.O_WRONLY | 0x40 /* O_CREAT */, 0600);
        try {
            return streamTo(runs, fd, offset);
        } finally {
            Linux.close(fd);
        }
    }

    /** Where copied bytes go: LEN bytes of jcr's memory at ADDR to OFFSET (a file, a page server). */
    @FunctionalInterface
    public interface Writer {
        void write(long addr, long len, long offset);
    }

    /** Same as {@link #streamToFile} into an open file descriptor FD. */
    public long streamTo(PageRuns runs, int fd, long offset) {
        return streamTo(runs, offset, (addr, len, at) -> writeFully(fd, addr, len, at));
    }

    /** Same as {@link #streamToFile} into OUT. */
    public long streamTo(PageRuns runs, long offset, Writer out) {
        ByteBuffer buf = window();
        long base = Linux.addressOf(buf);
        int cap = buf.capacity();
        long at = offset;
        for (PageRuns part : runs.split(cap)) {
            long filled = part.bytes();
            read(part, 0, part.count(), base, cap);
            out.write(base, filled, at);
            at += filled;
        }
        return at - offset;
    }

    /**
     * Copies what can still be read of RUNS from a process that may be running, back to back into FD
     * from OFFSET, and returns the runs it copied: a page that can no longer be read (its area was
     * unmapped meanwhile) is left out rather than failing the copy or being written as something it
     * never held. A pre-dump copies this way; what it leaves out, the next dump copies if it exists.
     */
    public PageRuns copyReadable(PageRuns runs, int fd, long offset, java.util.function.LongConsumer progress) {
        return copyReadable(runs, offset, (addr, len, at) -> writeFully(fd, addr, len, at), progress);
    }

    /** {@link #copyReadable(PageRuns, int, long, java.util.function.LongConsumer)} into OUT. */
    public PageRuns copyReadable(PageRuns runs, long offset, Writer out, java.util.function.LongConsumer progress) {
        ByteBuffer buf = window();
        long base = Linux.addressOf(buf);
        int cap = buf.capacity();
        PageRuns copied = new PageRuns();
        long at = offset;
        for (PageRuns part : runs.split(cap)) {
            long filled;
            try {
                filled = read(part, 0, part.count(), base, cap);
                for (int i = 0; i < part.count(); i++) {
                    copied.add(part.addr(i), part.len(i));
                }
            } catch (SyscallException e) {
                if (e.errno() == Errno.ESRCH) {
                    throw new NoSuchProcessException(pid);
                }
                filled = readPageByPage(part, base, copied);
            }
            out.write(base, filled, at);
            at += filled;
            progress.accept(filled);
        }
        return copied;
    }

    /** Reads the pages of PART that can be read into LOCAL, back to back, adding them to COPIED; returns bytes. */
    private long readPageByPage(PageRuns part, long local, PageRuns copied) {
        long filled = 0;
        for (int i = 0; i < part.count(); i++) {
            for (long a = part.addr(i); a < part.addr(i) + part.len(i); a += RemoteSyscalls.PAGE) {
                PageRuns one = new PageRuns();
                one.add(a, RemoteSyscalls.PAGE);
                try {
                    read(one, 0, 1, local + filled, RemoteSyscalls.PAGE);
                } catch (SyscallException e) {
                    if (e.errno() == Errno.ESRCH) {
                        throw new NoSuchProcessException(pid);
                    }
                    continue; // gone: left out
                }
                copied.add(a, RemoteSyscalls.PAGE);
                filled += RemoteSyscalls.PAGE;
            }
        }
        return filled;
    }

    private static void writeFully(int fd, long addr, long len, long at) {
        for (long done = 0; done < len; ) {
            long n = Linux.pwrite(fd, addr + done, len - done, at + done);
            if (n <= 0) {
                throw new SyscallException("pwrite (wrote nothing)", 0, Errno.EIO);
            }
            done += n;
        }
    }

    private static final ThreadLocal<ByteBuffer> WINDOW = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(1 << 20));

    private static ByteBuffer window() {
        return WINDOW.get();
    }

    private long read(PageRuns runs, int from, int count, long local, long localLen) {
        long total = 0;
        int i = from;
        int end = from + count;
        while (i < end) {
            long got;
            try {
                got = Linux.processVmReadv(pid, local + total, localLen - total, runs.addrArray(), runs.lenArray(), i,
                        end - i);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ESRCH) {
                    throw new NoSuchProcessException(pid);
                }
                if (e.errno() != Errno.EFAULT) {
                    throw e;
                }
                got = 0;
            }
            // skip the runs read whole; the run where the kernel stopped is finished through /proc/PID/mem
            while (i < end && got >= runs.len(i)) {
                got -= runs.len(i);
                total += runs.len(i);
                i++;
            }
            if (i < end) {
                total += got;
                long rest = runs.len(i) - got;
                procMem(false, runs.addr(i) + got, local + total, rest);
                total += rest;
                i++;
            }
        }
        return total;
    }

    /** Writes SRC (from its position) at ADDR, even to read-only pages. */
    public void write(long addr, ByteBuffer src) {
        long len = src.remaining();
        long done;
        try {
            done = Linux.processVmWritev(pid, src, new long[] {addr}, new long[] {len}, 0, 1);
        } catch (SyscallException e) {
            if (e.errno() != Errno.EFAULT) {
                throw e;
            }
            done = 0;
        }
        if (done < len) {
            procMem(true, addr + done, Linux.addressOf(src) + src.position() + done, len - done);
        }
    }

    public void write(long addr, byte[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(data.length);
        b.put(data).flip();
        write(addr, b);
    }

    private void procMem(boolean write, long remote, long local, long len) {
        if (remote < 0) {
            throw new SyscallException((write ? "pwrite" : "pread") + "(/proc/" + pid + "/mem at 0x"
                    + Long.toHexString(remote) + ")", pid, Errno.EIO);
        }
        int fd = Linux.open("/proc/" + pid + "/mem", write ? Linux.O_RDWR : Linux.O_RDONLY, 0);
        try {
            long done = 0;
            while (done < len) {
                long n = write ? Linux.pwrite(fd, local + done, len - done, remote + done)
                        : Linux.pread(fd, local + done, len - done, remote + done);
                if (n <= 0) {
                    throw new SyscallException((write ? "pwrite" : "pread") + "(/proc/" + pid + "/mem at 0x"
                            + Long.toHexString(remote + done) + ")", pid, Errno.EIO);
                }
                done += n;
            }
        } finally {
            Linux.close(fd);
        }
    }
}
