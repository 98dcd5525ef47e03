package dev.jcr.image;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.image.proto.IpcMsg;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one protobuf image entry by entry, never holding more than one entry (and its blob) in
 * memory. Every problem with the content is a {@link BadImageException} naming the file, the
 * offset and what was wrong; a length prefix is never trusted for an allocation beyond what the
 * file actually holds.
 */
public final class ImageReader implements Closeable {

    private static final int BUFFER = 64 * 1024;

    private final String name;
    private final ReadableByteChannel channel;
    private final long size;
    private final ByteBuffer buf;
    private long position;
    private boolean eof;

    private final ImageKind kind;
    private final ImageKind.Header header;
    private final int magic;
    private int index;
    private boolean ghostRestConsumed;

    private ImageReader(String name, ReadableByteChannel channel, long size) {
        this.name = name;
        this.channel = channel;
        this.size = size;
        // small images are the common case: do not allocate (and zero) 64 KiB for a 30-byte file
        this.buf = ByteBuffer.allocate(size >= 0 && size < BUFFER ? (int) Math.max(size, 16) : BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        buf.limit(0);
        long at = position;
        Integer first = readU32("the image magic");
        if (first == null) {
            throw new BadImageException(name, 0, "empty file, no image magic");
        }
        if (first == ImageKind.IMG_COMMON || first == ImageKind.IMG_SERVICE) {
            header = first == ImageKind.IMG_COMMON ? ImageKind.Header.COMMON : ImageKind.Header.SERVICE;
            at = position;
            Integer second = readU32("the image type magic");
            if (second == null) {
                throw new BadImageException(name, at, "truncated header: no type magic after "
                        + (header == ImageKind.Header.COMMON ? "IMG_COMMON" : "IMG_SERVICE"));
            }
            magic = second;
        } else {
            header = ImageKind.Header.NONE;
            magic = first;
        }
        final long magicAt = at;
        kind = ImageKind.byMagic(magic).orElseThrow(() -> new BadImageException(name, magicAt,
                String.format("unknown magic 0x%08x (not a CRIU image, or a raw file such as pages-*.img)", magic)));
    }

    /** Opens {@code file}; a missing or unreadable file is an {@link ImageIoException}. */
    public static ImageReader open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw ImageIoException.of(file, "open", e);
        }
        try {
            return new ImageReader(file.toString(), ch, ch.size());
        } catch (IOException e) {
            closeQuietly(ch);
            throw ImageIoException.of(file, "read", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * Reads from a channel (e.g. stdin). {@code size} is the number of bytes the channel holds, or -1
     * when unknown; with a known size, length prefixes are checked against it before reading.
     */
    public static ImageReader of(String name, ReadableByteChannel channel, long size) {
        return new ImageReader(name, channel, size);
    }

    public String name() {
        return name;
    }

    public ImageKind kind() {
        return kind;
    }

    public int magic() {
        return magic;
    }

    /** The header actually found (inventory has none; an old-style image may lack IMG_COMMON). */
    public ImageKind.Header header() {
        return header;
    }

    /** Total size of the file in bytes, or -1 when reading from a stream of unknown size. */
    public long size() {
        return size;
    }

    /** The next entry, or null at the end of the image. */
    public ImageEntry next() {
        long at = position;
        if (kind.layout() == ImageKind.Layout.GHOST && ghostRestConsumed) {
            return null;
        }
        Integer len = readU32("an entry length");
        if (len == null) {
            return null;
        }
        long payloadLength = Integer.toUnsignedLong(len);
        byte[] payload = readBytes(payloadLength, at, "entry " + index);
        Message type = kind.typeOf(index).orElse(null);
        Message message = null;
        UnknownFieldSet raw = null;
        try {
            if (type == null) {
                raw = UnknownFieldSet.parseFrom(payload);
            } else {
                message = type.getParserForType().parseFrom(payload);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new BadImageException(name, at, "entry " + index + " is not a valid "
                    + (type == null ? "protobuf message" : protoName(type)) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // protobuf-java reports a few malformations as unchecked exceptions; still bad input.
            throw new BadImageException(name, at, "entry " + index + " does not parse: " + e, e);
        }
        byte[] extra = readExtra(message, at);
        ImageEntry entry = new ImageEntry(index, at, (int) payloadLength, message, raw, extra);
        index++;
        return entry;
    }

    /** Reads all remaining entries (for images that are small by nature: everything but pagemaps of huge processes). */
    public List<ImageEntry> readAll() {
        List<ImageEntry> all = new ArrayList<>();
        for (ImageEntry e = next(); e != null; e = next()) {
            all.add(e);
        }
        return all;
    }

    /** The message type name as CRIU spells it (e.g. core_entry), for messages about an image. */
    static String protoName(Message type) {
        return ProtoNames.criuName(type.getDescriptorForType());
    }

    private byte[] readExtra(Message message, long entryAt) {
        ExtraBlob blob = kind.extra();
        if (kind.layout() == ImageKind.Layout.GHOST && index == 0) {
            if (((GhostFileEntry) message).getChunks()) {
                return new byte[0];
            }
            ghostRestConsumed = true;
            return readToEnd(entryAt);
        }
        if (message == null || blob == ExtraBlob.NONE) {
            return new byte[0];
        }
        if (blob == ExtraBlob.IPC_MSG) {
            return readIpcMessages(message, entryAt);
        }
        return readBytes(blob.length(message), entryAt, "the data blob of entry " + index);
    }

    private byte[] readIpcMessages(Message entry, long entryAt) {
        long qnum = Integer.toUnsignedLong((Integer) entry.getField(entry.getDescriptorForType().findFieldByName("qnum")));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer prefix = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < qnum; i++) {
            long at = position;
            Integer len = readU32("the length of queued message " + i);
            if (len == null) {
                throw new BadImageException(name, at, "truncated: entry " + index + " announces " + qnum
                        + " queued messages, the file ends after " + i);
            }
            byte[] msg = readBytes(Integer.toUnsignedLong(len), at, "queued message " + i);
            IpcMsg parsed;
            try {
                parsed = IpcMsg.parseFrom(msg);
            } catch (InvalidProtocolBufferException e) {
                throw new BadImageException(name, at, "queued message " + i + " is not a valid ipc_msg: " + e.getMessage(), e);
            }
            byte[] data = readBytes(ExtraBlob.roundUp(Integer.toUnsignedLong(parsed.getMsize()), 8), at, "data of queued message " + i);
            prefix.clear();
            prefix.putInt(len);
            all.write(prefix.array(), 0, 4);
            all.write(msg, 0, msg.length);
            all.write(data, 0, data.length);
        }
        return all.toByteArray();
    }

    private byte[] readToEnd(long entryAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[BUFFER];
        while (true) {
            int n = read(chunk, 0, chunk.length);
            if (n <= 0) {
                return out.toByteArray();
            }
            if ((long) out.size() + n > Integer.MAX_VALUE - 8) {
                throw new BadImageException(name, entryAt, "ghost file content larger than 2 GiB cannot be loaded");
            }
            out.write(chunk, 0, n);
        }
    }

    /** Reads {@code length} bytes, failing cleanly (before allocating) when the file cannot hold them. */
    private byte[] readBytes(long length, long entryAt, String what) {
        if (length < 0) {
            // a u64 length field past 2^63 (a ghost chunk's len): no file holds that much
            throw new BadImageException(name, entryAt, what + " claims " + Long.toUnsignedString(length)
                    + " bytes (corrupt length)");
        }
        if (size >= 0 && length > size - position) {
            throw new BadImageException(name, entryAt, what + " claims " + length + " bytes but only "
                    + (size - position) + " remain in the file (truncated or corrupt length)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new BadImageException(name, entryAt, what + " claims " + length + " bytes, more than jcr loads at once");
        }
        int n = (int) length;
        // Unknown size (a pipe): grow in steps so a lying prefix costs at most what was really sent.
        byte[] out = new byte[size >= 0 ? n : Math.min(n, BUFFER)];
        int got = 0;
        while (got < n) {
            if (got == out.length) {
                out = java.util.Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            }
            int r = read(out, got, out.length - got);
            if (r <= 0) {
                throw new BadImageException(name, entryAt, "truncated: " + what + " needs " + n + " bytes, the file ends after " + got);
            }
            got += r;
        }
        return out;
    }

    /** A little-endian u32, or null at a clean end of file; a partial u32 is a truncation. */
    private Integer readU32(String what) {
        byte[] b = new byte[4];
        long at = position;
        int got = 0;
        while (got < 4) {
            int r = read(b, got, 4 - got);
            if (r <= 0) {
                break;
            }
            got += r;
        }
        if (got == 0) {
            return null;
        }
        if (got < 4) {
            throw new BadImageException(name, at, "truncated: " + what + " needs 4 bytes, the file ends after " + got);
        }
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private int read(byte[] dst, int off, int len) {
        if (!buf.hasRemaining()) {
            if (eof) {
                return -1;
            }
            buf.clear();
            try {
                int r;
                do {
                    r = channel.read(buf);
                } while (r == 0);
                if (r < 0) {
                    eof = true;
                }
            } catch (IOException e) {
                buf.flip();
                throw ImageIoException.of(name, "read", e);
            }
            buf.flip();
            if (!buf.hasRemaining()) {
                return -1;
            }
        }
        int n = Math.min(len, buf.remaining());
        buf.get(dst, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw ImageIoException.of(name, "close", e);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing with a better error
        }
    }
}
