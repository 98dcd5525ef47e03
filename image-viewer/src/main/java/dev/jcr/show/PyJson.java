package dev.jcr.show;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree exactly as Python's {@code json.dump} does (what crit prints): one line with
 * {@code ", "} and {@code ": "} separators, or with {@code indent} spaces per level; non-ASCII
 * escaped as {@code \}{@code uXXXX}. Matching crit byte for byte lets people diff the two tools'
 * output directly.
 */
public final class PyJson {

    private final Writer out;
    private final int indent;
    private final Colors colors;

    /** @param indent spaces per level, or 0 for crit's single-line form */
    public PyJson(Writer out, int indent, Colors colors) {
        this.out = out;
        this.indent = indent;
        this.colors = colors;
    }

    public void write(JsonNode node) {
        try {
            value(node, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code {"magic": MAGIC, "entries": [...]}} pulling entries one at a time, so that a
     * huge image (the pagemap of a big process) never sits in memory as one tree. The text is the
     * same as writing the whole tree.
     */
    public void writeImage(String magic, Iterator<? extends JsonNode> entries) {
        try {
            out.write('{');
            separator(true, 1);
            out.write(colors.key(quote("magic")));
            out.write(": ");
            out.write(colors.string(quote(magic)));
            separator(false, 1);
            out.write(colors.key(quote("entries")));
            out.write(": ");
            if (!entries.hasNext()) {
                out.write("[]");
            } else {
                out.write('[');
                boolean first = true;
                while (entries.hasNext()) {
                    separator(first, 2);
                    first = false;
                    value(entries.next(), 2);
                }
                close(1);
                out.write(']');
            }
            close(0);
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void value(JsonNode n, int depth) throws IOException {
        if (n.isObject()) {
            if (n.isEmpty()) {
                out.write("{}");
                return;
            }
            out.write('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                separator(first, depth + 1);
                first = false;
                out.write(colors.key(quote(e.getKey())));
                out.write(": ");
                value(e.getValue(), depth + 1);
            }
            close(depth);
            out.write('}');
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                out.write("[]");
                return;
            }
            out.write('[');
            boolean first = true;
            for (JsonNode v : n) {
                separator(first, depth + 1);
                first = false;
                value(v, depth + 1);
            }
            close(depth);
            out.write(']');
        } else if (n.isTextual()) {
            out.write(colors.string(quote(n.textValue())));
        } else if (n.isBoolean()) {
            out.write(colors.literal(n.booleanValue() ? "true" : "false"));
        } else if (n.isNull()) {
            out.write(colors.literal("null"));
        } else if (n.isIntegralNumber()) {
            out.write(colors.number(n.isBigInteger() ? n.bigIntegerValue().toString() : Long.toString(n.longValue())));
        } else if (n.isNumber()) {
            out.write(colors.number(Double.toString(n.doubleValue())));
        } else {
            out.write(quote(n.asText()));
        }
    }

    private void separator(boolean first, int depth) throws IOException {
        if (indent > 0) {
            if (!first) {
                out.write(',');
            }
            out.write('\n');
            out.write(" ".repeat(indent * depth));
        } else if (!first) {
            out.write(", ");
        }
    }

    private void close(int depth) throws IOException {
        if (indent > 0) {
            out.write('\n');
            out.write(" ".repeat(indent * depth));
        }
    }

    /** A JSON string literal with Python's ensure_ascii escaping. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
