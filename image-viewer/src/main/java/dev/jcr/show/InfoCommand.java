package dev.jcr.show;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageReader;
import dev.jcr.image.ProtoNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code info}: what an image file is, without printing its entries. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what an image file is: magic, kind, entry count, size.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Image file (pages-*.img too).")
    Path file;

    @Option(names = "--json", description = "Print {\"magic\", \"count\", ...} as JSON.")
    boolean json;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw ImageIoException.of(file, "open", e);
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        ImageKind byName = ImageKind.byFileName(name).orElse(null);
        ObjectNode o = CritJson.nodes().objectNode();
        String kindText;
        if (byName == ImageKind.PAGES) {
            o.put("magic", "PAGES");
            o.put("count", size / 4096);
            kindText = "raw page contents (no header), " + (size / 4096) + " pages"
                    + (size % 4096 != 0 ? " and " + size % 4096 + " stray bytes" : "");
        } else {
            try (ImageReader r = ImageReader.open(file)) {
                long count = 0;
                long blobs = 0;
                for (ImageEntry e = r.next(); e != null; e = r.next()) {
                    count++;
                    blobs += e.extra().length;
                }
                o.put("magic", r.kind().name());
                o.put("count", count);
                o.put("magic_value", String.format("0x%08x", r.magic()));
                o.put("header", r.header().name());
                kindText = describe(r.kind()) + (blobs > 0 ? ", " + human(blobs) + " of extra data" : "");
            }
        }
        o.put("size", size);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            new PyJson(out, 4, Colors.NONE).write(o);
            out.println();
        } else {
            Colors c = color.colors();
            out.printf("%s %s%n", c.label("file   "), file);
            out.printf("%s %s%s%n", c.label("magic  "), o.get("magic").asText(),
                    o.has("magic_value") ? " (" + o.get("magic_value").asText() + ", header " + o.get("header").asText() + ")" : "");
            out.printf("%s %s%n", c.label("kind   "), kindText);
            out.printf("%s %d%n", c.label("entries"), o.get("count").asLong());
            out.printf("%s %s%n", c.label("size   "), human(size) + (size >= 1024 ? " (" + size + " bytes)" : ""));
        }
        out.flush();
        return 0;
    }

    static String describe(ImageKind k) {
        String type = k.entryType().map(m -> ProtoNames.criuName(m.getDescriptorForType())).orElse("raw protobuf fields");
        return switch (k.layout()) {
            case SINGLE -> "single entry of " + type;
            case ARRAY -> "array of " + type;
            case HEAD_THEN_ARRAY -> ProtoNames.criuName(k.headType().orElseThrow().getDescriptorForType()) + ", then array of " + type;
            case GHOST -> "ghost file: ghost_file_entry, then content or " + type + " chunks";
            case RAW -> "raw data";
        };
    }

    /** 1023 B, 1.5 KiB, 16.0 MiB. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
