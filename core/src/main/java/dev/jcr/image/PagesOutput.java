package dev.jcr.image;

import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.nio.file.Path;

/**
 * Where a dump writes a pages file: bytes at offsets, from jcr's memory or straight from a pipe the
 * target's pages were vmspliced into. A local file ({@link #file}) or a page server (an
 * {@link ImageSink}'s), so the memory copy does not care which.
 */
public interface PagesOutput extends AutoCloseable {

    /** Reserves BYTES (a full disk fails here, early); a no-op where nothing can be reserved. */
    void reserve(long bytes);

    /**
     * Moves up to MAX bytes waiting in pipe PIPE to OFFSET; returns the bytes moved, 0 only at the end
     * of the pipe. May throw EAGAIN ({@link SyscallException}) when none are waiting.
     */
    long fromPipe(int pipe, long offset, long max);

    /** Writes LEN bytes of jcr's memory at ADDR to OFFSET. */
    void write(long addr, long len, long offset);

    /** Cuts the file to LENGTH (a pre-dump that left vanished pages out). */
    void truncate(long length);

    @Override
    void close();

    /** The pages file FILE (created by the directory writer), written in place. */
    static PagesOutput file(Path file) {
        int fd = Linux.open(file.toString(), Linux.O_WRONLY, 0);
        return new PagesOutput() {
            @Override
            public void reserve(long bytes) {
                try {
                    Linux.fallocate(fd, 0, bytes);
                } catch (SyscallException e) {
                    if (e.errno() != 95 /* EOPNOTSUPP: the copy finds out the hard way */) {
                        throw e;
                    }
                }
            }

            @Override
            public long fromPipe(int pipe, long offset, long max) {
                return Linux.spliceToFile(pipe, fd, offset, max, Linux.SPLICE_F_NONBLOCK);
            }

            @Override
            public void write(long addr, long len, long offset) {
                for (long done = 0; done < len; ) {
                    long n = Linux.pwrite(fd, addr + done, len - done, offset + done);
                    if (n <= 0) {
                        throw new SyscallException("pwrite (wrote nothing)", 0, Errno.EIO);
                    }
                    done += n;
                }
            }

            @Override
            public void truncate(long length) {
                Linux.ftruncate(fd, length);
            }

            @Override
            public void close() {
                Linux.close(fd);
            }
        };
    }
}
