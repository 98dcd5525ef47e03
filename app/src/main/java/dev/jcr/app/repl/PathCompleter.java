package dev.jcr.app.repl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;

/**
 * Image directories and image files for arguments labelled DIR or FILE. A directory holding an
 * {@code inventory.img} is described as a checkpoint image (with its number of image files); an
 * {@code .img} file with its size. Directories end in "/" so that Tab can go on into them.
 */
final class PathCompleter {

    private final Path home;

    PathCompleter(Path home) {
        this.home = home;
    }

    List<Candidate> candidates(String typed, boolean files) {
        List<Candidate> out = new ArrayList<>();
        int slash = typed.lastIndexOf('/');
        String typedDir = slash < 0 ? "" : typed.substring(0, slash + 1);
        String prefix = typed.substring(slash + 1);
        Path dir = resolve(typedDir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(prefix) || (name.startsWith(".") && !prefix.startsWith("."))) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    out.add(new Candidate(typedDir + name + "/", name + "/", null, describeDir(entry), null, null, false));
                } else if (files) {
                    out.add(new Candidate(typedDir + name, name, null, describeFile(entry), null, null, true));
                }
            }
        } catch (IOException e) {
            // an unreadable or missing directory offers nothing
        }
        return out;
    }

    private Path resolve(String typedDir) {
        if (typedDir.isEmpty()) {
            return Path.of("").toAbsolutePath();
        }
        if (typedDir.startsWith("~/")) {
            return home.resolve(typedDir.substring(2));
        }
        return Path.of(typedDir);
    }

    private static String describeDir(Path dir) {
        if (!Files.isRegularFile(dir.resolve("inventory.img"))) {
            return null;
        }
        try (DirectoryStream<Path> imgs = Files.newDirectoryStream(dir, "*.img")) {
            int n = 0;
            for (Path ignored : imgs) {
                n++;
            }
            return "checkpoint image, " + n + " files";
        } catch (IOException e) {
            return "checkpoint image";
        }
    }

    private static String describeFile(Path file) {
        if (!file.getFileName().toString().endsWith(".img")) {
            return null;
        }
        try {
            return "image, " + human(Files.size(file));
        } catch (IOException e) {
            return "image";
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGT";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %siB", v, units.charAt(u));
    }
}
