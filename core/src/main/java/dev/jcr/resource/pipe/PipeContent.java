package dev.jcr.resource.pipe;

import dev.jcr.image.proto.PipeDataEntry;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.sys.Errno;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The bytes buffered in a pipe or FIFO, copied without consuming them: jcr opens the pipe itself
 * (through the target's /proc/PID/fd/N link, non-blocking), tee(2)s the buffers into a pipe of its
 * own sized like the target's, and reads them from there. The target's pipe is left exactly as it was.
 *
 * @param size the pipe's capacity (F_GETPIPE_SZ), restored with F_SETPIPE_SZ
 * @param data the buffered bytes
 */
public record PipeContent(int size, byte[] data) {

    public static PipeContent peek(Path fdLink) {
        int in = Linux.open(fdLink.toString(), Linux.O_RDONLY | Linux.O_NONBLOCK, 0);
        try {
            int size = Linux.fcntl(in, Linux.F_GETPIPE_SZ, 0);
            int[] p = Linux.pipe();
            try {
                Linux.fcntl(p[1], Linux.F_SETPIPE_SZ, size);
                long n;
                try {
                    n = Linux.tee(in, p[1], size, Linux.SPLICE_F_NONBLOCK);
                } catch (SyscallException e) {
                    if (e.errno() != Errno.EAGAIN) {
                        throw e;
                    }
                    n = 0; // empty pipe
                }
                byte[] data = new byte[0];
                if (n > 0) {
                    // our own pipe has a writer (p[1]), so opening its read end never blocks
                    try (InputStream r = new FileInputStream("/proc/self/fd/" + p[0])) {
                        data = new byte[(int) n];
                        int got = 0;
                        while (got < n) { // plain reads: readNBytes would lseek, which pipes refuse
                            int k = r.read(data, got, (int) n - got);
                            if (k < 0) {
                                throw new IOException("pipe ended after " + got + " of " + n + " bytes");
                            }
                            got += k;
                        }
                    }
                }
                return new PipeContent(size, data);
            } finally {
                Linux.close(p[0]);
                Linux.close(p[1]);
            }
        } catch (IOException e) {
            throw new NotDumpableException(0, fdLink.toString(), "cannot copy pipe data: " + e.getMessage());
        } finally {
            Linux.close(in);
        }
    }

    /** The pipes-data entry for pipe PIPE_ID (its blob is {@link #data()}). */
    public PipeDataEntry entry(int pipeId) {
        return PipeDataEntry.newBuilder().setPipeId(pipeId).setBytes(data.length).setSize(size).build();
    }
}
