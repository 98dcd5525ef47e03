package dev.jcr.show;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ProtoNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps jcr's JSON onto what crit 3.17 can print: jcr's schema follows CRIU 4.2, which has fields
 * crit 3.17 does not know (it silently drops them) and one renamed field (pagemap_entry field 2 is
 * compat_nr_pages in CRIU 4.x, nr_pages in crit 3.17). Fields are matched by field number, so the
 * mapping is derived from both schemas, not written by hand.
 */
final class CritSchema {

    private CritSchema() {
    }

    static ObjectNode asCrit317(ObjectNode jcrImage) {
        ObjectNode out = jcrImage.deepCopy();
        ImageKind kind = ImageKind.byName(out.get("magic").asText()).orElseThrow();
        ArrayNode entries = (ArrayNode) out.get("entries");
        for (int i = 0; i < entries.size(); i++) {
            Message type = kind.typeOf(i).orElse(null);
            if (type != null) {
                normalize((ObjectNode) entries.get(i), type.getDescriptorForType());
            }
        }
        return out;
    }

    private static void normalize(ObjectNode o, Descriptor d) {
        Map<Integer, String> crit = Crit.fieldNames().get(ProtoNames.criuName(d));
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        ObjectNode copy = o.deepCopy();
        o.removeAll();
        for (String key : keys) {
            JsonNode v = copy.get(key);
            if (key.equals("extra")) {
                o.set(key, v);
                continue;
            }
            FieldDescriptor fd = d.findFieldByName(key);
            if (fd == null || crit == null || !crit.containsKey(fd.getNumber())) {
                continue; // unknown to crit 3.17: it drops such fields
            }
            if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (v.isArray()) {
                    v.forEach(x -> normalize((ObjectNode) x, fd.getMessageType()));
                } else {
                    normalize((ObjectNode) v, fd.getMessageType());
                }
            }
            o.set(crit.get(fd.getNumber()), v);
        }
    }
}
