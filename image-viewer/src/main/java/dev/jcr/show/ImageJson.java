package dev.jcr.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.jcr.image.ExtraBlob;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageReader;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.GhostFileEntry;
import dev.jcr.image.proto.IpcMsg;
import dev.jcr.image.proto.IpcMsgEntry;
import dev.jcr.image.proto.IpcSemEntry;
import dev.jcr.image.proto.IpcShmEntry;
import dev.jcr.image.proto.TcpStreamEntry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * A whole image as crit's JSON, {@code {"magic": "CORE", "entries": [...]}}, and back. Extra blobs
 * appear under each entry's {@code "extra"} key in crit's shapes: base64 text for pipe data,
 * queued packets and ghost file contents, {@code {"inq", "outq"}} for TCP queues, the semaphore
 * values for SysV semaphores, and message/data pairs for SysV message queues.
 */
public final class ImageJson {

    private static final JsonNodeFactory NODES = CritJson.nodes();

    private ImageJson() {
    }

    /** Decodes every entry of {@code reader}; with {@code noPayload}, blobs are replaced by their size as crit's --nopl does. */
    public static ObjectNode decode(ImageReader reader, boolean pretty, boolean noPayload) {
        CritJson json = new CritJson(pretty);
        ObjectNode image = NODES.objectNode();
        image.put("magic", reader.kind().name());
        ArrayNode entries = image.putArray("entries");
        for (ImageEntry e = reader.next(); e != null; e = reader.next()) {
            entries.add(entry(json, reader.kind(), e, noPayload));
        }
        return image;
    }

    /** The entries of {@code reader} as JSON, decoded one by one as the iterator advances. */
    public static java.util.Iterator<ObjectNode> entries(ImageReader reader, boolean pretty, boolean noPayload) {
        CritJson json = new CritJson(pretty);
        return new java.util.Iterator<>() {
            private ImageEntry next = reader.next();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public ObjectNode next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                ObjectNode o = entry(json, reader.kind(), next, noPayload);
                next = reader.next();
                return o;
            }
        };
    }

    /** One entry (and its blob) as JSON. */
    public static ObjectNode entry(CritJson json, ImageKind kind, ImageEntry e, boolean noPayload) {
        ObjectNode o = e.message() != null ? json.toJson(e.message()) : json.rawToJson(e.raw());
        if (e.message() == null || !hasExtraKey(kind, e)) {
            return o;
        }
        if (noPayload) {
            if (kind.layout() != ImageKind.Layout.GHOST) {
                o.put("extra", "... <" + humanReadable(e.extra().length) + ">");
            }
            return o;
        }
        o.set("extra", extraToJson(kind, e.message(), e.extra()));
        return o;
    }

    private static boolean hasExtraKey(ImageKind kind, ImageEntry e) {
        if (kind.layout() == ImageKind.Layout.GHOST) {
            return e.index() > 0 || !((GhostFileEntry) e.message()).getChunks();
        }
        return kind.extra() != ExtraBlob.NONE;
    }

    private static JsonNode extraToJson(ImageKind kind, Message m, byte[] blob) {
        switch (kind.extra()) {
            case TCP_STREAM: {
                int inq = ((TcpStreamEntry) m).getInqLen();
                ObjectNode o = NODES.objectNode();
                o.put("inq", PyCodecs.encodeBytes(Arrays.copyOfRange(blob, 0, inq)));
                o.put("outq", PyCodecs.encodeBytes(Arrays.copyOfRange(blob, inq, blob.length)));
                return o;
            }
            case IPC_SHM:
                return NODES.textNode(PyCodecs.encodeBytes(Arrays.copyOf(blob, (int) ((IpcShmEntry) m).getSize())));
            case IPC_SEM: {
                ArrayNode a = NODES.arrayNode();
                ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < ((IpcSemEntry) m).getNsems(); i++) {
                    a.add(Short.toUnsignedInt(b.getShort(2 * i)));
                }
                return a;
            }
            case IPC_MSG: {
                ArrayNode a = NODES.arrayNode();
                CritJson plain = new CritJson(false);
                ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
                while (b.remaining() >= 4) {
                    int len = b.getInt();
                    byte[] raw = new byte[len];
                    b.get(raw);
                    IpcMsg msg;
                    try {
                        msg = IpcMsg.parseFrom(raw);
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException("checked by the reader", e);
                    }
                    byte[] data = new byte[msg.getMsize()];
                    b.get(data);
                    b.position(b.position() + (int) (roundUp(msg.getMsize(), 8) - msg.getMsize()));
                    a.add(plain.toJson(msg));
                    a.add(PyCodecs.encodeBytes(data));
                }
                return a;
            }
            default:
                return NODES.textNode(PyCodecs.encodeBytes(blob));
        }
    }

    private static long roundUp(long x, long to) {
        return (x + to - 1) / to * to;
    }

    /** crit's human_readable: "512B", "1.5KB", "16MB". */
    static String humanReadable(double num) {
        for (String unit : new String[] {"", "K", "M", "G", "T", "P", "E", "Z"}) {
            if (num < 1024.0) {
                if ((long) num == num) {
                    return String.format(Locale.ROOT, "%d%sB", (long) num, unit);
                }
                return String.format(Locale.ROOT, "%.1f%sB", num, unit);
            }
            num /= 1024.0;
        }
        return String.format(Locale.ROOT, "%.1fYB", num);
    }

    // ---------------------------------------------------------------- JSON -> binary

    /** Encodes crit JSON into a binary image on {@code out} (not closed). */
    public static void encode(JsonNode image, OutputStream out) {
        if (!image.isObject()) {
            throw new BadJsonException("(top)", "expected an object with \"magic\" and \"entries\"");
        }
        JsonNode magic = image.get("magic");
        if (magic == null || !magic.isTextual()) {
            throw new BadJsonException("magic", "missing or not a string");
        }
        ImageKind kind = ImageKind.byName(magic.textValue())
                .filter(k -> k.layout() != ImageKind.Layout.RAW)
                .orElseThrow(() -> new BadJsonException("magic", "unknown image magic '" + magic.textValue() + "'"));
        JsonNode entries = image.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new BadJsonException("entries", "missing or not a list");
        }
        for (Iterator<String> it = image.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("magic") && !k.equals("entries")) {
                throw new BadJsonException(k, "unknown top-level key (expected magic and entries)");
            }
        }
        CritJson json = new CritJson(true);
        ImageWriter w = ImageWriter.start(kind, "<output>", out);
        int i = 0;
        for (JsonNode e : entries) {
            String where = "entries[" + i + "]";
            ObjectNode fields = e.isObject() ? ((ObjectNode) e).deepCopy() : null;
            if (fields == null) {
                throw new BadJsonException(where, "expected an object");
            }
            JsonNode extra = fields.remove("extra");
            Message type = kind.typeOf(i).orElse(null);
            if (type == null) {
                UnknownFieldSet raw = json.rawFromJson(fields, where);
                w.writeRaw(raw, null);
            } else {
                Message m = json.fromJson(fields, type, where);
                byte[] blob = extra == null || extra.isNull() ? null : extraFromJson(kind, i, m, extra, where + ".extra");
                try {
                    w.write(m, blob);
                } catch (IllegalArgumentException bad) {
                    throw new BadJsonException(where, bad.getMessage());
                }
            }
            i++;
        }
        w.flush();
    }

    private static byte[] extraFromJson(ImageKind kind, int index, Message m, JsonNode extra, String where) {
        if (kind.layout() == ImageKind.Layout.GHOST) {
            return base64(extra, where);
        }
        switch (kind.extra()) {
            case NONE:
                throw new BadJsonException(where, kind + " entries carry no extra data");
            case TCP_STREAM: {
                if (!extra.isObject()) {
                    throw new BadJsonException(where, "expected {\"inq\": ..., \"outq\": ...}");
                }
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(base64(extra.path("inq"), where + ".inq"));
                b.writeBytes(base64(extra.path("outq"), where + ".outq"));
                return b.toByteArray();
            }
            case IPC_SHM: {
                byte[] data = base64(extra, where);
                long size = ((IpcShmEntry) m).getSize();
                if (size > Integer.MAX_VALUE - 8) {
                    throw new BadJsonException(where, "segment size " + size + " is too large");
                }
                return Arrays.copyOf(Arrays.copyOf(data, (int) size), (int) roundUp(size, 4));
            }
            case IPC_SEM: {
                int n = ((IpcSemEntry) m).getNsems();
                if (!extra.isArray() || extra.size() != n) {
                    throw new BadJsonException(where, "expected a list of " + n + " semaphore values");
                }
                ByteBuffer b = ByteBuffer.allocate((int) roundUp(2L * n, 8)).order(ByteOrder.LITTLE_ENDIAN);
                for (JsonNode v : extra) {
                    b.putShort((short) v.asInt());
                }
                return b.array();
            }
            case IPC_MSG: {
                if (!extra.isArray() || extra.size() % 2 != 0 || extra.size() / 2 != ((IpcMsgEntry) m).getQnum()) {
                    throw new BadJsonException(where, "expected message/data pairs, " + ((IpcMsgEntry) m).getQnum() + " of them");
                }
                CritJson plain = new CritJson(false);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (int i = 0; i < extra.size(); i += 2) {
                    IpcMsg msg = (IpcMsg) plain.fromJson(extra.get(i), IpcMsg.getDefaultInstance(), where + "[" + i + "]");
                    byte[] raw = msg.toByteArray();
                    b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(raw.length).array());
                    b.writeBytes(raw);
                    byte[] data = Arrays.copyOf(base64(extra.get(i + 1), where + "[" + (i + 1) + "]"), (int) roundUp(msg.getMsize(), 8));
                    b.writeBytes(data);
                }
                return b.toByteArray();
            }
            default:
                return base64(extra, where);
        }
    }

    private static byte[] base64(JsonNode v, String where) {
        if (!v.isTextual()) {
            throw new BadJsonException(where, "expected base64 text");
        }
        try {
            return PyCodecs.decodeBytes(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new BadJsonException(where, "not base64: " + e.getMessage());
        }
    }
}
