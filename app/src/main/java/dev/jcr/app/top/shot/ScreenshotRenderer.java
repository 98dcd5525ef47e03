package dev.jcr.app.top.shot;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminal;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Paints a virtual terminal's cells into an image with a monospaced font (headless Java2D, no X needed):
 * each cell's background, its character in its foreground colour, bold, underline and reverse honoured.
 * What the image shows is exactly what jcr-top drew, in the theme's colours.
 */
public final class ScreenshotRenderer {

    private final Font regular;
    private final Font bold;
    private final int cellWidth;
    private final int cellHeight;
    private final int ascent;

    public ScreenshotRenderer(int fontSize) {
        regular = new Font(Font.MONOSPACED, Font.PLAIN, fontSize);
        bold = regular.deriveFont(Font.BOLD);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        FontMetrics m = g.getFontMetrics(regular);
        cellWidth = m.charWidth('M');
        cellHeight = m.getAscent() + m.getDescent();
        ascent = m.getAscent();
        g.dispose();
    }

    public int cellWidth() {
        return cellWidth;
    }

    public int cellHeight() {
        return cellHeight;
    }

    public BufferedImage render(VirtualTerminal terminal) {
        TerminalSize size = terminal.getTerminalSize();
        BufferedImage img = new BufferedImage(size.getColumns() * cellWidth, size.getRows() * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int row = 0; row < size.getRows(); row++) {
            for (int col = 0; col < size.getColumns(); col++) {
                TextCharacter c = terminal.getCharacter(col, row);
                Color fg = colour(c.getForegroundColor(), true);
                Color bg = colour(c.getBackgroundColor(), false);
                if (c.getModifiers().contains(SGR.REVERSE)) {
                    Color t = fg;
                    fg = bg;
                    bg = t;
                }
                int x = col * cellWidth;
                int y = row * cellHeight;
                g.setColor(bg);
                g.fillRect(x, y, cellWidth, cellHeight);
                String s = c.getCharacterString();
                if (!s.isBlank()) {
                    g.setColor(fg);
                    g.setFont(c.getModifiers().contains(SGR.BOLD) ? bold : regular);
                    g.drawString(s, x, y + ascent);
                }
                if (c.getModifiers().contains(SGR.UNDERLINE)) {
                    g.setColor(fg);
                    g.drawLine(x, y + cellHeight - 2, x + cellWidth - 1, y + cellHeight - 2);
                }
            }
        }
        g.dispose();
        return img;
    }

    public void write(VirtualTerminal terminal, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(render(terminal), "png", tmp.toFile());
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The colour as a terminal with the xterm palette shows it; DEFAULT is light-on-black. */
    static Color colour(TextColor c, boolean foreground) {
        if (c == null || c == TextColor.ANSI.DEFAULT) {
            return foreground ? new Color(0xd0d0d0) : Color.BLACK;
        }
        return c.toColor();
    }
}
