package dev.jcr.show.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link DiffReport} as JSON: the records' fields in declaration order (so the output
 * is deterministic), plus {@code "same": true|false} at the top. Addresses are numbers.
 */
public final class DiffJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiffJson() {
    }

    public static ObjectNode tree(DiffReport r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("same", r.same());
        o.setAll((ObjectNode) MAPPER.valueToTree(r));
        return o;
    }

    public static String render(DiffReport r) {
        try {
            return MAPPER.writeValueAsString(tree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render diff as JSON", e);
        }
    }
}
