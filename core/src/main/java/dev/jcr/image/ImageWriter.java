package dev.jcr.image;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes one protobuf image: the header of its kind, then entries as
 * {@code [u32 length][payload][blob]}. Checks what the dump engine hands it (entry type, required
 * fields, blob length against the entry) so that a bug shows up here rather than as an image CRIU
 * rejects later.
 */
public final class ImageWriter implements Closeable {

    private final ImageKind kind;
    private final String name;
    private final OutputStream out;
    private final byte[] u32 = new byte[4];
    private int index;
    private long written;

    private ImageWriter(ImageKind kind, String name, OutputStream out) {
        this.kind = kind;
        this.name = name;
        this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 64 * 1024);
    }

    /** Starts an image of {@code kind} on {@code out}, writing its header now. */
    public static ImageWriter start(ImageKind kind, String name, OutputStream out) {
        if (kind.layout() == ImageKind.Layout.RAW) {
            throw new IllegalArgumentException(kind + " is a raw file, not a protobuf image");
        }
        ImageWriter w = new ImageWriter(kind, name, out);
        switch (kind.header()) {
            case COMMON -> w.putU32(ImageKind.IMG_COMMON);
            case SERVICE -> w.putU32(ImageKind.IMG_SERVICE);
            default -> { }
        }
        w.putU32(kind.magic());
        return w;
    }

    public ImageKind kind() {
        return kind;
    }

    /** Number of entries written so far. */
    public int entries() {
        return index;
    }

    /** Bytes written so far, header included. */
    public long bytesWritten() {
        return written;
    }

    /** Writes an entry without a blob. */
    public ImageWriter write(Message entry) {
        return write(entry, (ByteBuffer) null);
    }

    /** Writes an entry followed by its blob (pipe data, a queued packet ...). */
    public ImageWriter write(Message entry, byte[] blob) {
        return write(entry, blob == null ? null : ByteBuffer.wrap(blob));
    }

    /** Writes an entry followed by the remaining bytes of {@code blob}. */
    public ImageWriter write(Message entry, ByteBuffer blob) {
        Message expected = kind.typeOf(index).orElse(null);
        if (expected == null) {
            throw new IllegalArgumentException(kind + " has no known entry type; write raw fields instead");
        }
        if (entry.getDescriptorForType() != expected.getDescriptorForType()) {
            throw new IllegalArgumentException(kind + " entry " + index + " must be "
                    + expected.getDescriptorForType().getName() + ", not " + entry.getDescriptorForType().getName());
        }
        if (!entry.isInitialized()) {
            throw new IllegalArgumentException(kind + " entry " + index + " lacks required fields: "
                    + entry.findInitializationErrors());
        }
        long blobLength = blob == null ? 0 : blob.remaining();
        long wanted = blobLengthFor(entry);
        if (wanted >= 0 && wanted != blobLength) {
            throw new IllegalArgumentException(kind + " entry " + index + " announces a " + wanted
                    + "-byte blob but " + blobLength + " bytes were given");
        }
        putMessage(entry.getSerializedSize(), entry);
        if (blob != null) {
            putBytes(blob);
        }
        index++;
        return this;
    }

    /** Writes an entry of raw protobuf fields (kinds without a known message, or re-encoding). */
    public ImageWriter writeRaw(UnknownFieldSet fields, byte[] blob) {
        int size = fields.getSerializedSize();
        putU32(size);
        try {
            fields.writeTo(out);
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
        written += size;
        if (blob != null) {
            putBytes(ByteBuffer.wrap(blob));
        }
        index++;
        return this;
    }

    private long blobLengthFor(Message entry) {
        if (kind.layout() == ImageKind.Layout.GHOST && index == 0) {
            return -1;
        }
        return kind.extra() == ExtraBlob.NONE ? 0 : kind.extra().length(entry);
    }

    private void putMessage(int size, Message entry) {
        putU32(size);
        try {
            CodedOutputStream cos = CodedOutputStream.newInstance(out, Math.max(16, Math.min(size, 4096)));
            entry.writeTo(cos);
            cos.flush();
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
        written += size;
    }

    private void putBytes(ByteBuffer b) {
        try {
            if (b.hasArray()) {
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                written += b.remaining();
                b.position(b.limit());
            } else {
                byte[] chunk = new byte[Math.min(b.remaining(), 64 * 1024)];
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                    written += n;
                }
            }
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
    }

    private void putU32(int v) {
        u32[0] = (byte) v;
        u32[1] = (byte) (v >>> 8);
        u32[2] = (byte) (v >>> 16);
        u32[3] = (byte) (v >>> 24);
        try {
            out.write(u32);
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
        written += 4;
    }

    /** Flushes buffered bytes to the underlying stream without closing it. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw ImageIoException.of(name, "write", e);
        }
    }
}
