package dev.jcr.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.jcr.image.ProtoNames;
import dev.jcr.image.proto.FieldFormat;
import dev.jcr.image.proto.FmtProto;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts any image message to crit's JSON and back, driven only by protobuf descriptors and the
 * {@code (fmt)} field options: no per-message code. Set fields appear in field-number order under
 * their proto names; in pretty mode, fields marked hex/flags/dev/dict/ipadd are formatted as crit
 * formats them, and a message field marked hex makes every integer inside it hex. Fields jcr's
 * schema does not know are kept under their field number (e.g. {@code "22": 5}), so nothing is
 * lost and encode gives the same bytes back.
 */
public final class CritJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64);
    private static final Map<FieldDescriptor, FieldFormat> FORMATS = new ConcurrentHashMap<>();

    private final boolean pretty;

    public CritJson(boolean pretty) {
        this.pretty = pretty;
    }

    public static JsonNodeFactory nodes() {
        return NODES;
    }

    // ---------------------------------------------------------------- message -> JSON

    public ObjectNode toJson(Message m) {
        return toJson(m, false);
    }

    private ObjectNode toJson(Message m, boolean hexInherited) {
        ObjectNode o = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor fd = e.getKey();
            FieldFormat fmt = format(fd);
            boolean hex = hexInherited || fmt.getHex();
            if (fd.isRepeated()) {
                List<?> values = (List<?>) e.getValue();
                ArrayNode a = o.putArray(fd.getName());
                if (pretty && fmt.getIpadd() && fd.getJavaType() == FieldDescriptor.JavaType.INT) {
                    @SuppressWarnings("unchecked")
                    List<Integer> words = (List<Integer>) values;
                    a.add(PrettyFormats.ip(words));
                } else {
                    for (Object v : values) {
                        a.add(value(fd, fmt, v, hex));
                    }
                }
            } else {
                o.set(fd.getName(), value(fd, fmt, e.getValue(), hex));
            }
        }
        putUnknown(o, m.getUnknownFields());
        return o;
    }

    private JsonNode value(FieldDescriptor fd, FieldFormat fmt, Object v, boolean hex) {
        switch (fd.getJavaType()) {
            case MESSAGE:
                return toJson((Message) v, hex);
            case BYTE_STRING: {
                byte[] b = ((ByteString) v).toByteArray();
                return NODES.textNode("unix_name".equals(fmt.getConv()) ? PyCodecs.encodeQp(b) : PyCodecs.encodeBytes(b));
            }
            case ENUM:
                return NODES.textNode(((EnumValueDescriptor) v).getName());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) v);
            case STRING:
                return NODES.textNode((String) v);
            case FLOAT:
            case DOUBLE:
                return NODES.numberNode(((Number) v).doubleValue());
            default:
                return integerNode(fd, fmt, v, hex);
        }
    }

    /** An integer field's JSON: a number, or in pretty mode the marked string form. Avoids BigInteger unless needed. */
    private JsonNode integerNode(FieldDescriptor fd, FieldFormat fmt, Object v, boolean hex) {
        long l = ((Number) v).longValue();
        boolean big = false;
        switch (fd.getType()) {
            case UINT32, FIXED32 -> l = Integer.toUnsignedLong((Integer) v);
            case UINT64, FIXED64 -> big = l < 0;
            default -> { }
        }
        if (pretty) {
            if (hex) {
                return NODES.textNode(big ? PrettyFormats.hex(integer(fd, v)) : l < 0 ? "-0x" + Long.toHexString(-l) : "0x" + Long.toHexString(l));
            }
            if (fmt.getDev() || fmt.getOdev()) {
                return NODES.textNode(PrettyFormats.dev(l, fmt.getOdev()));
            }
            if (fmt.hasFlags()) {
                BigInteger n = integer(fd, v);
                String s = PrettyFormats.flags(fmt.getFlags(), n);
                return NODES.textNode(s != null ? s : PrettyFormats.hex(n));
            }
            if (fmt.hasDict()) {
                Map<String, Map<Long, String>> dict = PrettyFormats.DICTS.get(fmt.getDict());
                Map<Long, String> names = dict == null ? null : dict.get(fd.getName());
                String name = names == null ? null : names.get(l);
                if (name != null) {
                    return NODES.textNode(name);
                }
            }
        }
        return big ? NODES.numberNode(integer(fd, v)) : NODES.numberNode(l);
    }

    /** The integer value of a field, unsigned for uint/fixed types (Java stores them signed). */
    private static BigInteger integer(FieldDescriptor fd, Object v) {
        return switch (fd.getType()) {
            case UINT32, FIXED32 -> BigInteger.valueOf(Integer.toUnsignedLong((Integer) v));
            case UINT64, FIXED64 -> {
                long l = (Long) v;
                yield l >= 0 ? BigInteger.valueOf(l) : BigInteger.valueOf(l).add(U64);
            }
            default -> BigInteger.valueOf(((Number) v).longValue());
        };
    }

    private static FieldFormat format(FieldDescriptor fd) {
        return FORMATS.computeIfAbsent(fd, f -> f.getOptions().getExtension(FmtProto.fmt));
    }

    // ---------------------------------------------------------------- raw fields <-> JSON

    /** Raw protobuf fields as JSON: numbers for varints, base64 for length-delimited, tagged fixed values. */
    public ObjectNode rawToJson(UnknownFieldSet fields) {
        ObjectNode o = NODES.objectNode();
        putUnknown(o, fields);
        return o;
    }

    private void putUnknown(ObjectNode o, UnknownFieldSet fields) {
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : fields.asMap().entrySet()) {
            List<JsonNode> vs = new ArrayList<>();
            UnknownFieldSet.Field f = e.getValue();
            f.getVarintList().forEach(v -> vs.add(NODES.numberNode(unsigned(v))));
            f.getFixed32List().forEach(v -> vs.add(NODES.objectNode().put("fixed32", Integer.toUnsignedLong(v))));
            f.getFixed64List().forEach(v -> vs.add(NODES.objectNode().set("fixed64", NODES.numberNode(unsigned(v)))));
            f.getLengthDelimitedList().forEach(v -> vs.add(NODES.textNode(PyCodecs.encodeBytes(v.toByteArray()))));
            f.getGroupList().forEach(g -> vs.add(NODES.objectNode().set("group", rawToJson(g))));
            if (vs.size() == 1) {
                o.set(Integer.toString(e.getKey()), vs.get(0));
            } else {
                o.putArray(Integer.toString(e.getKey())).addAll(vs);
            }
        }
    }

    private static BigInteger unsigned(long v) {
        return v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(U64);
    }

    public UnknownFieldSet rawFromJson(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new BadJsonException(path, "expected an object of raw fields");
        }
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            addRaw(b, e.getKey(), e.getValue(), path);
        }
        return b.build();
    }

    private void addRaw(UnknownFieldSet.Builder b, String key, JsonNode v, String path) {
        int number;
        try {
            number = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new BadJsonException(path, "unknown field '" + key + "'");
        }
        if (number < 1 || number > 536870911) {
            throw new BadJsonException(path + "." + key, "not a protobuf field number");
        }
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        List<JsonNode> values = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(values::add);
        } else {
            values.add(v);
        }
        String where = path + "." + key;
        for (JsonNode x : values) {
            if (x.isIntegralNumber()) {
                f.addVarint(x.bigIntegerValue().longValue());
            } else if (x.isTextual()) {
                f.addLengthDelimited(ByteString.copyFrom(PyCodecs.decodeBytes(x.textValue())));
            } else if (x.isObject() && x.has("fixed32")) {
                f.addFixed32((int) x.get("fixed32").asLong());
            } else if (x.isObject() && x.has("fixed64")) {
                f.addFixed64(x.get("fixed64").bigIntegerValue().longValue());
            } else if (x.isObject() && x.has("group")) {
                f.addGroup(rawFromJson(x.get("group"), where));
            } else {
                throw new BadJsonException(where, "cannot encode " + x.getNodeType() + " as a raw field");
            }
        }
        b.mergeField(number, f.build());
    }

    // ---------------------------------------------------------------- JSON -> message

    /** Builds a message of {@code prototype}'s type from crit JSON (plain or pretty). */
    public Message fromJson(JsonNode node, Message prototype, String path) {
        Message.Builder b = prototype.newBuilderForType();
        merge(node, b, path);
        if (!b.isInitialized()) {
            throw new BadJsonException(path, ProtoNames.criuName(prototype.getDescriptorForType())
                    + " lacks required fields " + b.findInitializationErrors());
        }
        return b.build();
    }

    private void merge(JsonNode node, Message.Builder b, String path) {
        if (!node.isObject()) {
            throw new BadJsonException(path, "expected an object for " + ProtoNames.criuName(b.getDescriptorForType()));
        }
        Descriptor d = b.getDescriptorForType();
        UnknownFieldSet.Builder unknown = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            FieldDescriptor fd = d.findFieldByName(key);
            String where = path + "." + key;
            if (fd == null) {
                if (unknown == null) {
                    unknown = UnknownFieldSet.newBuilder(b.getUnknownFields());
                }
                addRaw(unknown, key, e.getValue(), path);
                continue;
            }
            JsonNode v = e.getValue();
            FieldFormat fmt = format(fd);
            if (fd.isRepeated()) {
                if (!v.isArray()) {
                    throw new BadJsonException(where, "expected a list");
                }
                if (fmt.getIpadd() && !v.isEmpty() && v.get(0).isTextual()) {
                    for (int w : parse(where, () -> PrettyFormats.unip(v.get(0).textValue()))) {
                        b.addRepeatedField(fd, w);
                    }
                    continue;
                }
                int i = 0;
                for (JsonNode x : v) {
                    String at = where + "[" + i++ + "]";
                    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        Message.Builder sub = b.newBuilderForField(fd);
                        merge(x, sub, at);
                        b.addRepeatedField(fd, sub.buildPartial());
                    } else {
                        b.addRepeatedField(fd, scalar(fd, fmt, x, at));
                    }
                }
            } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Message.Builder sub = b.newBuilderForField(fd);
                merge(v, sub, where);
                b.setField(fd, sub.buildPartial());
            } else {
                b.setField(fd, scalar(fd, fmt, v, where));
            }
        }
        if (unknown != null) {
            b.setUnknownFields(unknown.build());
        }
    }

    private Object scalar(FieldDescriptor fd, FieldFormat fmt, JsonNode v, String where) {
        switch (fd.getJavaType()) {
            case BYTE_STRING:
                if (!v.isTextual()) {
                    throw new BadJsonException(where, "expected a string of " + ("unix_name".equals(fmt.getConv()) ? "quoted-printable" : "base64"));
                }
                return ByteString.copyFrom("unix_name".equals(fmt.getConv())
                        ? PyCodecs.decodeQp(v.textValue()) : parse(where, () -> PyCodecs.decodeBytes(v.textValue())));
            case STRING:
                if (!v.isTextual()) {
                    throw new BadJsonException(where, "expected a string");
                }
                return v.textValue();
            case BOOLEAN:
                if (!v.isBoolean()) {
                    throw new BadJsonException(where, "expected true or false");
                }
                return v.booleanValue();
            case ENUM: {
                EnumValueDescriptor ev = v.isTextual() ? fd.getEnumType().findValueByName(v.textValue())
                        : v.isIntegralNumber() ? fd.getEnumType().findValueByNumber(v.intValue()) : null;
                if (ev == null) {
                    throw new BadJsonException(where, "not a value of " + fd.getEnumType().getName() + ": " + v);
                }
                return ev;
            }
            case FLOAT:
                return v.floatValue();
            case DOUBLE:
                return v.doubleValue();
            default:
                return checkedInteger(fd, integerOf(fd, fmt, v, where), where);
        }
    }

    private BigInteger integerOf(FieldDescriptor fd, FieldFormat fmt, JsonNode v, String where) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue();
        }
        if (!v.isTextual()) {
            throw new BadJsonException(where, "expected an integer, got " + v);
        }
        String s = v.textValue();
        return parse(where, () -> {
            if (fmt.getDev() || fmt.getOdev()) {
                if (s.contains(":")) {
                    return BigInteger.valueOf(PrettyFormats.undev(s, fmt.getOdev()));
                }
            }
            if (fmt.hasFlags()) {
                BigInteger f = PrettyFormats.unflags(fmt.getFlags(), s);
                if (f != null) {
                    return f;
                }
            }
            if (fmt.hasDict()) {
                Map<String, Map<Long, String>> dict = PrettyFormats.DICTS.get(fmt.getDict());
                Map<Long, String> names = dict == null ? null : dict.get(fd.getName());
                if (names != null) {
                    for (Map.Entry<Long, String> n : names.entrySet()) {
                        if (n.getValue().equals(s)) {
                            return BigInteger.valueOf(n.getKey());
                        }
                    }
                }
            }
            return PyInts.parse(s);
        });
    }

    private static Object checkedInteger(FieldDescriptor fd, BigInteger n, String where) {
        boolean unsigned = switch (fd.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
        boolean wide = fd.getJavaType() == FieldDescriptor.JavaType.LONG;
        BigInteger min = unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(wide ? 63 : 31).negate();
        BigInteger max = unsigned ? BigInteger.ONE.shiftLeft(wide ? 64 : 32).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(wide ? 63 : 31).subtract(BigInteger.ONE);
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw new BadJsonException(where, n + " is out of range for " + fd.getType().name().toLowerCase());
        }
        return wide ? (Object) n.longValue() : (Object) n.intValue();
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(String where, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new BadJsonException(where, e.getMessage() == null ? "malformed value" : e.getMessage());
        }
    }
}
