package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.jcr.app.top.shot.ScreenshotRenderer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenshotRendererTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void eachCellIsPaintedInItsColoursAndReverseSwapsThem(@TempDir Path dir) throws Exception {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(3, 1));
        t.setBackgroundColor(new TextColor.Indexed(24));
        t.setForegroundColor(new TextColor.Indexed(231));
        t.putCharacter(' ');
        t.setBackgroundColor(new TextColor.RGB(200, 10, 10));
        t.putCharacter('X');
        t.enableSGR(SGR.REVERSE);
        t.setForegroundColor(new TextColor.RGB(10, 200, 10));
        t.setBackgroundColor(TextColor.ANSI.BLACK);
        t.putCharacter(' ');
        ScreenshotRenderer r = new ScreenshotRenderer(14);
        BufferedImage img = r.render(t);
        assertEquals(3 * r.cellWidth(), img.getWidth());
        assertEquals(r.cellHeight(), img.getHeight());
        assertEquals(new TextColor.Indexed(24).toColor().getRGB(), img.getRGB(1, 1));
        assertEquals(new TextColor.RGB(200, 10, 10).toColor().getRGB(), img.getRGB(r.cellWidth() + 1, 1));
        // the X is drawn: some pixel of its cell differs from the background
        boolean inked = false;
        for (int x = r.cellWidth(); x < 2 * r.cellWidth(); x++) {
            for (int y = 0; y < r.cellHeight(); y++) {
                inked |= img.getRGB(x, y) != img.getRGB(r.cellWidth() + 1, 1);
            }
        }
        assertTrue(inked, "the character is painted");
        assertEquals(new TextColor.RGB(10, 200, 10).toColor().getRGB(), img.getRGB(2 * r.cellWidth() + 1, 1), "reverse");
        Path png = dir.resolve("shot.png");
        r.write(t, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertNotEquals(0, back.getRGB(1, 1));
    }
}
