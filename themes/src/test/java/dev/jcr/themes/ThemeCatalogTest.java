package dev.jcr.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.ThemeDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThemeCatalogTest {

    private final ThemeCatalog catalog = new ThemeCatalog();

    @Test
    void bundlesDarkLightAndMonochromeWithDarkFirst() {
        assertEquals(List.of("dark", "light", "mono"), catalog.names());
        assertEquals(ThemeCatalog.DEFAULT, catalog.names().get(0));
    }

    @Test
    void everyBundledThemeLoadsStrictlyAndDeclaresTheWholeVocabulary() {
        for (String name : catalog.names()) {
            JcrTheme theme = catalog.load(name);
            Properties p = catalog.bundledProperties(name);
            ThemeDefinition def = theme.theme().getDefinition(TopStyles.class);
            for (String style : TopStyles.STYLES) {
                // the parsed theme answers exactly what the file declares (no fallback to Lanterna's root)
                assertEquals(TextColor.Factory.fromString(p.getProperty(TopStyles.PREFIX + "foreground[" + style + "]").trim()),
                        def.getCustom(style).getForeground(), name + " " + style);
                assertEquals(TextColor.Factory.fromString(p.getProperty(TopStyles.PREFIX + "background[" + style + "]").trim()),
                        def.getCustom(style).getBackground(), name + " " + style);
            }
            for (String glyph : TopStyles.GLYPHS) {
                assertNotEquals('\0', def.getCharacter(glyph, '\0'), name + " " + glyph);
            }
        }
    }

    @Test
    void monochromeThemeUsesOnlyBlackAndWhiteAndAsciiGlyphs() {
        Properties p = catalog.bundledProperties("mono");
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key).trim();
            if (key.contains("foreground") || key.contains("background")) {
                assertTrue(v.equals("black") || v.equals("white"), key + " = " + v);
            }
            if (key.startsWith(TopStyles.PREFIX + "char[")) {
                assertTrue(v.chars().allMatch(c -> c < 128), key + " = " + v);
            }
        }
    }

    @Test
    void verdictGlyphsDifferSoTheyReadWithoutColour() {
        for (String name : catalog.names()) {
            ThemeDefinition def = catalog.load(name).theme().getDefinition(TopStyles.class);
            long distinct = List.of(TopStyles.GLYPH_OK, TopStyles.GLYPH_NEEDS_OPTION, TopStyles.GLYPH_UNSUPPORTED,
                    TopStyles.GLYPH_UNKNOWN).stream().map(g -> def.getCharacter(g, ' ')).distinct().count();
            assertEquals(4, distinct, name);
        }
    }

    @Test
    void cyclingVisitsEveryThemeAndWraps() {
        assertEquals("light", catalog.next("dark"));
        assertEquals("mono", catalog.next("light"));
        assertEquals("dark", catalog.next("mono"));
    }

    @Test
    void userThemeFileOverridesTheDefault(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.properties");
        Files.writeString(f, TopStyles.PREFIX + "foreground[OK] = #46\n");
        JcrTheme t = catalog.load(f.toString());
        assertEquals("mine", t.name());
        ThemeDefinition def = t.theme().getDefinition(TopStyles.class);
        assertEquals(new TextColor.Indexed(46), def.getCustom(TopStyles.OK).getForeground());
        // not overridden: comes from the default theme
        assertEquals(catalog.load("dark").theme().getDefinition(TopStyles.class).getCustom(TopStyles.STATUS).getBackground(),
                def.getCustom(TopStyles.STATUS).getBackground());
    }

    @Test
    void badColourInUserThemeNamesTheKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, TopStyles.PREFIX + "foreground[OK] = greenish\n");
        ThemeException e = assertThrows(ThemeException.class, () -> catalog.load(f.toString()));
        assertTrue(e.getMessage().contains("greenish") && e.getMessage().contains("foreground[OK]"), e.getMessage());
    }

    @Test
    void unknownClassInUserThemeIsAnError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "com.example.NoSuchWidget.foreground = red\n");
        ThemeException e = assertThrows(ThemeException.class, () -> catalog.load(f.toString()));
        assertTrue(e.getMessage().contains("com.example.NoSuchWidget"), e.getMessage());
    }

    @Test
    void unknownNameListsTheBundledThemes() {
        ThemeException e = assertThrows(ThemeException.class, () -> catalog.load("solarized"));
        assertTrue(e.getMessage().contains("dark, light, mono"), e.getMessage());
    }

    @Test
    void missingFileIsAnErrorNamingThePath(@TempDir Path dir) {
        Path f = dir.resolve("nope.properties");
        ThemeException e = assertThrows(ThemeException.class, () -> catalog.load(f.toString()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void incompleteBundledVocabularyIsRejected() {
        Properties p = catalog.bundledProperties("dark");
        p.remove(TopStyles.PREFIX + "char[GLYPH_OK]");
        ThemeException e = assertThrows(ThemeException.class, () -> ThemeCatalog.requireVocabulary("x", p));
        assertTrue(e.getMessage().contains("char[GLYPH_OK]"), e.getMessage());
    }
}
