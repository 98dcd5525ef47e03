package dev.jcr.show.diff;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.jcr.image.proto.FmtProto;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Field-by-field difference of two protobuf messages of one type, by field path
 * ({@code gpregs.ip}, {@code creds.cap_eff[0]}). Integers marked {@code hex} in jcr's schema (and
 * everything inside a message field so marked, as crit does) print in hex; unset fields print as
 * {@code (unset)}. Deterministic: fields in number order, repeated fields by index.
 */
public final class MessageDiff {

    private static final String UNSET = "(unset)";

    private MessageDiff() {
    }

    public static List<Change> of(Message a, Message b) {
        return of("", a, b, Set.of());
    }

    /** Differences of {@code a} and {@code b}, skipping top-level fields named in {@code skip}. */
    public static List<Change> of(String prefix, Message a, Message b, Set<String> skip) {
        List<Change> out = new ArrayList<>();
        diff(prefix, a, b, false, skip, out);
        return out;
    }

    private static void diff(String prefix, Message a, Message b, boolean hex, Set<String> skip, List<Change> out) {
        if (a == null && b == null) {
            return;
        }
        var type = (a != null ? a : b).getDescriptorForType();
        for (FieldDescriptor f : type.getFields()) {
            if (skip.contains(f.getName())) {
                continue;
            }
            String path = prefix.isEmpty() ? f.getName() : prefix + "." + f.getName();
            boolean h = hex || (f.getOptions().hasExtension(FmtProto.fmt) && f.getOptions().getExtension(FmtProto.fmt).getHex());
            if (f.isRepeated()) {
                int na = a == null ? 0 : a.getRepeatedFieldCount(f);
                int nb = b == null ? 0 : b.getRepeatedFieldCount(f);
                for (int i = 0; i < Math.max(na, nb); i++) {
                    Object va = i < na ? a.getRepeatedField(f, i) : null;
                    Object vb = i < nb ? b.getRepeatedField(f, i) : null;
                    value(path + "[" + i + "]", f, va, vb, h, out);
                }
                continue;
            }
            Object va = a != null && a.hasField(f) ? a.getField(f) : null;
            Object vb = b != null && b.hasField(f) ? b.getField(f) : null;
            value(path, f, va, vb, h, out);
        }
    }

    private static void value(String path, FieldDescriptor f, Object va, Object vb, boolean hex, List<Change> out) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (va == null || vb == null) {
                if (va != vb) {
                    out.add(new Change(path, va == null ? UNSET : "set", vb == null ? UNSET : "set"));
                }
                return;
            }
            diff(path, (Message) va, (Message) vb, hex, Set.of(), out);
            return;
        }
        if (va == null ? vb == null : va.equals(vb)) {
            return;
        }
        out.add(new Change(path, format(f, va, hex), format(f, vb, hex)));
    }

    static String format(FieldDescriptor f, Object v, boolean hex) {
        if (v == null) {
            return UNSET;
        }
        return switch (f.getType()) {
            case UINT32, FIXED32 -> hex ? "0x" + Integer.toHexString((Integer) v) : Integer.toUnsignedString((Integer) v);
            case UINT64, FIXED64 -> hex ? "0x" + Long.toHexString((Long) v) : Long.toUnsignedString((Long) v);
            case INT32, SINT32, SFIXED32, INT64, SINT64, SFIXED64 -> hex ? "0x" + Long.toHexString(((Number) v).longValue()) : v.toString();
            case ENUM -> ((EnumValueDescriptor) v).getName();
            case BYTES -> bytes((ByteString) v);
            case STRING -> "\"" + v + "\"";
            default -> v.toString();
        };
    }

    private static String bytes(ByteString b) {
        if (b.size() <= 16) {
            return "0x" + HexFormat.of().formatHex(b.toByteArray());
        }
        return b.size() + " bytes";
    }
}
