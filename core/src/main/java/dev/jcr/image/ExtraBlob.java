package dev.jcr.image;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

/**
 * Raw bytes that follow an entry's protobuf payload in some images. The entry itself says how
 * long the blob is; {@link #length} computes it so that a reader can skip or load the blob and a
 * writer can check that the blob it was given matches the entry.
 */
public enum ExtraBlob {
    /** No blob after the entry. */
    NONE,
    /** pipes-data / fifo-data: {@code bytes} bytes of data that was in flight in the pipe. */
    PIPE_DATA,
    /** sk-queues: {@code length} bytes of one queued packet. */
    SK_QUEUE,
    /** tcp-stream: {@code inq_len} bytes of the receive queue, then {@code outq_len} of the send queue. */
    TCP_STREAM,
    /** bpfmap-data: {@code keys_bytes + values_bytes}. */
    BPFMAP_DATA,
    /** ipcns-shm: {@code size} bytes of the segment, padded to 4 bytes. */
    IPC_SHM,
    /** ipcns-sem: {@code nsems} u16 semaphore values, padded to 8 bytes. */
    IPC_SEM,
    /** ipcns-msg: {@code qnum} times [u32 length][ipc_msg][msize bytes padded to 8]; scanned by the reader. */
    IPC_MSG,
    /** ghost-file without chunks: the file's whole content, up to the end of the image. */
    REST_OF_FILE,
    /** ghost-file chunk: {@code len} bytes of content. */
    GHOST_CHUNK;

    /**
     * Length in bytes of the blob that follows {@code entry}, or -1 when it cannot be computed from
     * the entry alone ({@link #IPC_MSG}, {@link #REST_OF_FILE}).
     */
    public long length(Message entry) {
        return switch (this) {
            case NONE -> 0;
            case PIPE_DATA -> u32(entry, "bytes");
            case SK_QUEUE -> u32(entry, "length");
            case TCP_STREAM -> u32(entry, "inq_len") + u32(entry, "outq_len");
            case BPFMAP_DATA -> u32(entry, "keys_bytes") + u32(entry, "values_bytes");
            case IPC_SHM -> roundUp(u64(entry, "size"), 4);
            case IPC_SEM -> roundUp(2 * u32(entry, "nsems"), 8);
            case GHOST_CHUNK -> u64(entry, "len");
            case IPC_MSG, REST_OF_FILE -> -1;
        };
    }

    static long roundUp(long x, long to) {
        return (x + to - 1) / to * to;
    }

    private static long u32(Message m, String field) {
        Object v = value(m, field);
        return v == null ? 0 : Integer.toUnsignedLong((Integer) v);
    }

    private static long u64(Message m, String field) {
        Object v = value(m, field);
        if (v == null) {
            return 0;
        }
        if (v instanceof Integer i) {
            return Integer.toUnsignedLong(i);
        }
        return (Long) v;
    }

    private static Object value(Message m, String field) {
        FieldDescriptor fd = m.getDescriptorForType().findFieldByName(field);
        if (fd == null) {
            throw new IllegalStateException(m.getDescriptorForType().getName() + " has no field " + field);
        }
        return m.hasField(fd) ? m.getField(fd) : null;
    }
}
