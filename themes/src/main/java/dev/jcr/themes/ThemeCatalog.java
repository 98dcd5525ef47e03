package dev.jcr.themes;

import com.googlecode.lanterna.graphics.PropertyTheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The bundled themes ({@code dev/jcr/themes/NAME.properties}, listed with a description in
 * {@code themes.index}) and user theme files. Every theme is parsed strictly: an unknown class, an unknown
 * colour or a malformed key is an error naming the key, and a bundled theme must declare every style and
 * glyph of {@link TopStyles}. A user file is laid over the default theme, so it may override only what it
 * wants to change; what it does declare is parsed just as strictly.
 */
public final class ThemeCatalog {

    public static final String DEFAULT = "dark";
    private static final String BASE = "/dev/jcr/themes/";

    private final Map<String, String> index;

    public ThemeCatalog() {
        this.index = readIndex();
    }

    /** Bundled theme names in their documented order, each with its one-line description. */
    public Map<String, String> bundled() {
        return index;
    }

    public List<String> names() {
        return new ArrayList<>(index.keySet());
    }

    /** The name after NAME in the bundled order, wrapping around (the {@code T} key cycles with it). */
    public String next(String name) {
        List<String> names = names();
        int i = names.indexOf(name);
        return names.get((i + 1) % names.size());
    }

    /** Loads a bundled theme by name, or a user theme from a path (anything containing '/' or ending in .properties). */
    public JcrTheme load(String nameOrPath) {
        if (index.containsKey(nameOrPath)) {
            Properties p = bundledProperties(nameOrPath);
            requireVocabulary(nameOrPath, p);
            return new JcrTheme(nameOrPath, index.get(nameOrPath), true, parse(nameOrPath, p));
        }
        if (nameOrPath.contains("/") || nameOrPath.endsWith(".properties")) {
            return loadFile(Path.of(nameOrPath));
        }
        throw new ThemeException("no theme named '" + nameOrPath + "': bundled themes are "
                + String.join(", ", index.keySet()) + "; or give the path of a .properties theme file");
    }

    /** A user theme file, laid over the default theme. */
    public JcrTheme loadFile(Path file) {
        Properties user = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            user.load(r);
        } catch (IOException e) {
            throw new ThemeException("cannot read theme file " + file + ": " + e.getMessage(), e);
        }
        Properties merged = new Properties();
        merged.putAll(bundledProperties(DEFAULT));
        merged.putAll(user);
        String name = file.getFileName().toString().replaceFirst("\\.properties$", "");
        return new JcrTheme(name, "user theme " + file, false, parse(file.toString(), merged));
    }

    /** The raw properties of a bundled theme (for tests and tools). */
    public Properties bundledProperties(String name) {
        if (!index.containsKey(name)) {
            throw new ThemeException("no bundled theme named '" + name + "'");
        }
        Properties p = new Properties();
        try (InputStream in = ThemeCatalog.class.getResourceAsStream(BASE + name + ".properties")) {
            if (in == null) {
                throw new ThemeException("bundled theme '" + name + "' is listed but " + BASE + name
                        + ".properties is missing from the jar");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ThemeException("cannot read bundled theme '" + name + "': " + e.getMessage(), e);
        }
        return p;
    }

    /** Every style and glyph of the vocabulary must be declared, so nothing silently falls back. */
    static void requireVocabulary(String name, Properties p) {
        List<String> missing = new ArrayList<>();
        for (String style : TopStyles.STYLES) {
            for (String part : List.of("foreground", "background", "sgr")) {
                String key = TopStyles.PREFIX + part + "[" + style + "]";
                if (p.getProperty(key) == null) {
                    missing.add(key);
                }
            }
        }
        for (String glyph : TopStyles.GLYPHS) {
            String key = TopStyles.PREFIX + "char[" + glyph + "]";
            String v = p.getProperty(key);
            if (v == null || v.isBlank()) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new ThemeException("theme '" + name + "' does not declare " + missing.size() + " key(s), first: "
                    + missing.get(0));
        }
    }

    private static PropertyTheme parse(String name, Properties p) {
        for (String key : p.stringPropertyNames()) {
            // Lanterna ignores a value it cannot read in some places; check each colour ourselves to name the key.
            if (key.matches(".*(foreground|background)(\\[.*])?") && !p.getProperty(key).isBlank()) {
                try {
                    com.googlecode.lanterna.TextColor.Factory.fromString(p.getProperty(key).trim());
                } catch (RuntimeException e) {
                    throw new ThemeException("theme '" + name + "': bad colour '" + p.getProperty(key).trim()
                            + "' for " + key);
                }
            }
        }
        try {
            return new PropertyTheme(p, false);
        } catch (RuntimeException e) {
            throw new ThemeException("theme '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readIndex() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ThemeCatalog.class.getResourceAsStream(BASE + "themes.index")) {
            if (in == null) {
                throw new ThemeException("themes.index is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                out.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1).strip());
            }
        } catch (IOException e) {
            throw new ThemeException("cannot read themes.index: " + e.getMessage(), e);
        }
        return out;
    }
}
