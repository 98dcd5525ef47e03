package dev.jcr.restore;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageReader;
import dev.jcr.image.ImageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Structured mutations of a real image directory: each one changes one protobuf image at the level
 * of entries and fields (duplicate, drop or swap entries or list elements; change a number, a
 * string, a bool, an enum; set an absent field; clear an optional one) and writes it back with valid
 * framing, so that what is tested is the meaning, not the parser. Numbers and strings are drawn from
 * edge values and from the values of the same dump (pids, file ids, addresses, names), which is how
 * ids come to point at the wrong thing.
 */
public final class ImageMutator {

    /** One mutated image: its file name, its new bytes, and what was done (for a failure message). */
    public record Mutation(String file, byte[] bytes, String what) {
    }

    /** The kinds a restore reads: a mutation of anything else proves nothing about the plan. */
    public static final Set<ImageKind> RESTORE_KINDS = Set.of(ImageKind.INVENTORY, ImageKind.PSTREE, ImageKind.CORE,
            ImageKind.IDS, ImageKind.MM, ImageKind.PAGEMAP, ImageKind.FDINFO, ImageKind.FILES, ImageKind.FS,
            ImageKind.PIPES_DATA, ImageKind.FIFO_DATA, ImageKind.GHOST_FILE, ImageKind.REMAP_FPATH,
            ImageKind.SK_QUEUES, ImageKind.TTY_INFO, ImageKind.TTY_DATA);

    private record Image(String name, ImageKind kind, List<ImageEntry> entries) {
    }

    /** Where a field sits: the path of (field, index) steps from the entry down to its message. */
    private record Step(FieldDescriptor field, int index) {
    }

    private record Site(List<Step> path, FieldDescriptor field, int index) {
        String describe() {
            StringBuilder s = new StringBuilder();
            for (Step st : path) {
                s.append(st.field().getName()).append(st.index() >= 0 ? "[" + st.index() + "]" : "").append('.');
            }
            return s.append(field.getName()).append(index >= 0 ? "[" + index + "]" : "").toString();
        }
    }

    private final List<Image> images;
    private final List<Long> numbers;
    private final List<String> strings;

    private ImageMutator(List<Image> images, List<Long> numbers, List<String> strings) {
        this.images = images;
        this.numbers = numbers;
        this.strings = strings;
    }

    /** The images of DIR whose kind is in KINDS (protobuf images with known messages only). */
    public static ImageMutator of(Path dir, Set<ImageKind> kinds) {
        List<Image> images = new ArrayList<>();
        Set<Long> numbers = new LinkedHashSet<>();
        Set<String> strings = new LinkedHashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String name = f.getFileName().toString();
                ImageKind kind = ImageKind.byFileName(name).orElse(null);
                if (kind == null || kind.layout() == ImageKind.Layout.RAW || kind.header() == ImageKind.Header.RAW
                        || kind.entryType().isEmpty()) {
                    continue;
                }
                List<ImageEntry> entries;
                try (ImageReader r = ImageReader.open(f)) {
                    entries = r.readAll();
                }
                for (ImageEntry e : entries) {
                    if (e.message() != null) {
                        harvest(e.message(), numbers, strings);
                    }
                }
                if (kinds.contains(kind) && entries.stream().allMatch(e -> e.message() != null)) {
                    images.add(new Image(name, kind, entries));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image of " + kinds + " in " + dir);
        }
        return new ImageMutator(images, List.copyOf(numbers), List.copyOf(strings));
    }

    /** Every number and string of the dump: the values a mutated field most usefully takes. */
    private static void harvest(Message m, Set<Long> numbers, Set<String> strings) {
        for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            List<?> values = f.getKey().isRepeated() ? (List<?>) f.getValue() : List.of(f.getValue());
            for (Object v : values) {
                if (v instanceof Message sub) {
                    harvest(sub, numbers, strings);
                } else if (v instanceof Integer i && numbers.size() < 4000) {
                    numbers.add(i.longValue());
                } else if (v instanceof Long l && numbers.size() < 4000) {
                    numbers.add(l);
                } else if (v instanceof String str && !str.isEmpty()) {
                    strings.add(str);
                }
            }
        }
    }

    /** The next mutation, decided by RND alone (the same seed gives the same mutation). */
    public Mutation next(Random rnd) {
        Image img = images.get(rnd.nextInt(images.size()));
        List<ImageEntry> entries = new ArrayList<>(img.entries());
        List<Message> msgs = new ArrayList<>(entries.stream().map(ImageEntry::message).toList());
        List<byte[]> extras = new ArrayList<>(entries.stream().map(e -> e.extra() == null ? new byte[0] : e.extra()).toList());
        String what;
        int op = rnd.nextInt(10);
        if (op == 0 && !msgs.isEmpty()) {
            int i = rnd.nextInt(msgs.size());
            int at = rnd.nextInt(msgs.size() + 1);
            msgs.add(at, msgs.get(i));
            extras.add(at, extras.get(i));
            what = "entry " + i + " duplicated at " + at;
        } else if (op == 1 && !msgs.isEmpty()) {
            int i = rnd.nextInt(msgs.size());
            msgs.remove(i);
            extras.remove(i);
            what = "entry " + i + " dropped";
        } else if (op == 2 && msgs.size() > 1) {
            int i = rnd.nextInt(msgs.size());
            int j = rnd.nextInt(msgs.size());
            Collections.swap(msgs, i, j);
            Collections.swap(extras, i, j);
            what = "entries " + i + " and " + j + " swapped";
        } else {
            int i = rnd.nextInt(msgs.size());
            String[] done = new String[1];
            Message m = mutateField(msgs.get(i), rnd, done);
            msgs.set(i, m);
            what = "entry " + i + ": " + done[0];
            long wanted = blobLength(img.kind(), i, m);
            if (wanted >= 0 && wanted != extras.get(i).length && wanted < (1 << 20) && rnd.nextBoolean()) {
                // the blob follows what its entry now announces: framing stays valid, the meaning does not
                extras.set(i, Arrays.copyOf(extras.get(i), (int) wanted));
                what += " (blob resized to " + wanted + ")";
            }
        }
        return new Mutation(img.name(), write(img.kind(), img.name(), msgs, extras), img.name() + ": " + what);
    }

    private static long blobLength(ImageKind kind, int index, Message m) {
        if (kind.layout() == ImageKind.Layout.GHOST) {
            return index == 0 ? -1 : kind.extra().length(m);
        }
        return kind.extra().length(m);
    }

    private static byte[] write(ImageKind kind, String name, List<Message> msgs, List<byte[]> extras) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageWriter w = ImageWriter.start(kind, name, out)) {
            for (int i = 0; i < msgs.size(); i++) {
                // raw: the writer's checks (types by position, blob lengths) are what a mutation breaks
                w.writeRaw(UnknownFieldSet.parseFrom(msgs.get(i).toByteArray()), extras.get(i).length == 0 ? null : extras.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ fields

    private Message mutateField(Message entry, Random rnd, String[] done) {
        List<Site> sites = new ArrayList<>();
        sites(entry, new ArrayList<>(), sites);
        if (sites.isEmpty()) {
            done[0] = "no field to change";
            return entry;
        }
        Site site = sites.get(rnd.nextInt(sites.size()));
        return apply(entry, site.path(), 0, m -> change(m, site, rnd, done));
    }

    /** Every field of M (present ones, list elements, and absent optional scalars), nested ones too. */
    private static void sites(Message m, List<Step> path, List<Site> out) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                int n = m.getRepeatedFieldCount(f);
                for (int i = 0; i < n; i++) {
                    out.add(new Site(List.copyOf(path), f, i));
                    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        List<Step> p = new ArrayList<>(path);
                        p.add(new Step(f, i));
                        sites((Message) m.getRepeatedField(f, i), p, out);
                    }
                }
                if (n == 0 && f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                    out.add(new Site(List.copyOf(path), f, -1));   // an element added to an empty list
                }
            } else if (m.hasField(f)) {
                out.add(new Site(List.copyOf(path), f, -1));
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    List<Step> p = new ArrayList<>(path);
                    p.add(new Step(f, -1));
                    sites((Message) m.getField(f), p, out);
                }
            } else if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                out.add(new Site(List.copyOf(path), f, -1));       // absent: set it
            }
        }
    }

    private interface Change {
        Message at(Message m);
    }

    private static Message apply(Message m, List<Step> path, int depth, Change change) {
        if (depth == path.size()) {
            return change.at(m);
        }
        Step st = path.get(depth);
        Message child = (Message) (st.index() < 0 ? m.getField(st.field()) : m.getRepeatedField(st.field(), st.index()));
        Message changed = apply(child, path, depth + 1, change);
        Message.Builder b = m.toBuilder();
        if (st.index() < 0) {
            b.setField(st.field(), changed);
        } else {
            b.setRepeatedField(st.field(), st.index(), changed);
        }
        return b.buildPartial();
    }

    private Message change(Message m, Site site, Random rnd, String[] done) {
        FieldDescriptor f = site.field();
        Message.Builder b = m.toBuilder();
        String where = site.describe();
        if (f.isRepeated() && site.index() >= 0) {
            List<Object> list = new ArrayList<>((List<?>) m.getField(f));
            int i = site.index();
            switch (rnd.nextInt(f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? 4 : 5)) {
                case 0 -> {
                    list.remove(i);
                    done[0] = where + " dropped";
                }
                case 1 -> {
                    list.add(rnd.nextInt(list.size() + 1), list.get(i));
                    done[0] = where + " duplicated";
                }
                case 2 -> {
                    int j = rnd.nextInt(list.size());
                    Collections.swap(list, i, j);
                    done[0] = where + " swapped with [" + j + "]";
                }
                case 3 -> {
                    list.clear();
                    done[0] = where.substring(0, where.lastIndexOf('[')) + " emptied";
                }
                default -> {
                    Object v = value(f, list.get(i), rnd);
                    list.set(i, v);
                    done[0] = where + " = " + show(v);
                }
            }
            b.clearField(f);
            list.forEach(v -> b.addRepeatedField(f, v));
            return b.buildPartial();
        }
        if (f.isRepeated()) {
            Object v = value(f, null, rnd);
            b.addRepeatedField(f, v);
            done[0] = where + " += " + show(v);
            return b.buildPartial();
        }
        if (m.hasField(f) && !f.isRequired() && rnd.nextInt(6) == 0) {
            b.clearField(f);
            done[0] = where + " cleared";
            return b.buildPartial();
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            done[0] = where + " (a message) kept";
            return m;
        }
        Object v = value(f, m.hasField(f) ? m.getField(f) : null, rnd);
        b.setField(f, v);
        done[0] = where + " = " + show(v);
        return b.buildPartial();
    }

    private Object value(FieldDescriptor f, Object old, Random rnd) {
        return switch (f.getJavaType()) {
            case INT -> (int) number(old == null ? 0 : (Integer) old, 32, rnd);
            case LONG -> number(old == null ? 0 : (Long) old, 64, rnd);
            case BOOLEAN -> old == null ? rnd.nextBoolean() : !(Boolean) old;
            case ENUM -> {
                List<EnumValueDescriptor> vs = f.getEnumType().getValues();
                yield vs.get(rnd.nextInt(vs.size()));
            }
            case STRING -> string(old == null ? "" : (String) old, rnd);
            case BYTE_STRING -> bytes(old == null ? ByteString.EMPTY : (ByteString) old, rnd);
            case FLOAT -> rnd.nextFloat();
            case DOUBLE -> rnd.nextDouble();
            case MESSAGE -> old;
        };
    }

    private long number(long v, int bits, Random rnd) {
        long mask = bits == 32 ? 0xffffffffL : -1L;
        long r = switch (rnd.nextInt(12)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> v + 1;
            case 4 -> v - 1;
            case 5 -> v ^ (1L << rnd.nextInt(bits));
            case 6 -> bits == 32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
            case 7 -> bits == 32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            case 8 -> v + 4096;
            case 9 -> v * 2;
            default -> numbers.isEmpty() ? rnd.nextLong() : numbers.get(rnd.nextInt(numbers.size()));
        };
        return bits == 32 ? (int) (r & mask) : r;
    }

    private String string(String v, Random rnd) {
        return switch (rnd.nextInt(9)) {
            case 0 -> "";
            case 1 -> "/";
            case 2 -> v.isEmpty() ? "x" : v.substring(0, rnd.nextInt(v.length()));
            case 3 -> v + ".jcr-mutated";
            case 4 -> v.isEmpty() ? "\0" : v.substring(0, v.length() / 2) + "\0" + v.substring(v.length() / 2);
            case 5 -> v + "\n\u001b[31mred";
            case 6 -> v.startsWith("/") ? v.substring(1) : "relative/" + v;
            case 7 -> "x".repeat(5000);
            default -> strings.isEmpty() ? "" : strings.get(rnd.nextInt(strings.size()));
        };
    }

    private static ByteString bytes(ByteString v, Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> ByteString.EMPTY;
            case 1 -> v.substring(0, rnd.nextInt(v.size() + 1));
            case 2 -> v.concat(ByteString.copyFrom(new byte[1 + rnd.nextInt(64)]));
            default -> {
                byte[] b = v.toByteArray();
                if (b.length > 0) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                yield ByteString.copyFrom(b);
            }
        };
    }

    private static String show(Object v) {
        String s = v instanceof ByteString b ? b.size() + " bytes" : String.valueOf(v);
        return dev.jcr.Quote.of(s.length() > 60 ? s.substring(0, 60) + "…" : s);
    }

    /** How many images of each kind this mutator changes (for the test's report). */
    public Map<ImageKind, Integer> kinds() {
        Map<ImageKind, Integer> out = new LinkedHashMap<>();
        images.forEach(i -> out.merge(i.kind(), 1, Integer::sum));
        return out;
    }
}
