package dev.jcr.resource.pipe;

import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.PipeDataEntry;
import dev.jcr.resource.FileImages;
import dev.jcr.sys.Linux;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes that were buffered in pipes (pipes-data.img) or FIFOs (fifo-data.img), by pipe_id, with
 * the buffer size when it was recorded: read and checked once per restore, at plan time.
 */
record PipeBuffers(Map<Integer, byte[]> data, Map<Integer, Integer> sizes) {

    /** The buffers of image KIND (PIPES_DATA or FIFO_DATA), parsed once per restore. */
    static PipeBuffers of(ImageKind kind, FileImages images) {
        return images.derived(PipeBuffers.class.getName() + ":" + kind, () -> {
            Map<Integer, byte[]> data = new HashMap<>();
            Map<Integer, Integer> sizes = new HashMap<>();
            for (ImageEntry e : images.read(kind, null)) {
                PipeDataEntry pd = e.as(PipeDataEntry.class);
                byte[] bytes = e.extra() == null ? new byte[0] : e.extra();
                if (bytes.length != pd.getBytes()) {
                    throw new dev.jcr.image.BadImageException(images.imageFile(kind, null).toString(), e.offset(),
                            "entry " + e.index() + " announces " + pd.getBytes() + " bytes but holds " + bytes.length);
                }
                data.put(pd.getPipeId(), bytes);
                if (pd.hasSize()) {
                    sizes.put(pd.getPipeId(), pd.getSize());
                }
            }
            return new PipeBuffers(Map.copyOf(data), Map.copyOf(sizes));
        });
    }

    byte[] data(int pipeId) {
        return data.getOrDefault(pipeId, new byte[0]);
    }

    /** The buffer size when it was recorded, else 0. */
    int size(int pipeId) {
        return sizes.getOrDefault(pipeId, 0);
    }

    /** Sizes the pipe of write end FD for its content (the recorded size, or enough for DATA), then writes DATA. */
    static void refill(int fd, byte[] data, int size) {
        if (size > 0) {
            Linux.fcntl(fd, Linux.F_SETPIPE_SZ, size);
        } else if (data.length > 65536) {
            Linux.fcntl(fd, Linux.F_SETPIPE_SZ, data.length);
        }
        if (data.length > 0) {
            Linux.write(fd, data);
        }
    }
}
