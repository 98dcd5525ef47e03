package dev.jcr.show.text;

import dev.jcr.Quote;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table with aligned columns: left-aligned unless a column is declared numeric, widths from
 * the widest cell, the last column never padded (no trailing blanks). Cells are plain text; colour
 * is applied per cell through a {@link Palette} after padding, so escape codes never skew widths;
 * control characters in a cell (a newline in a file name from an image) are escaped ({@link Quote#controls}).
 */
public final class Table {

    public enum Align { LEFT, RIGHT }

    /** A cell: its text and the colour role it is painted with. */
    public record Cell(String text, Palette.Role role) {
    }

    private final List<String> headers;
    private final List<Align> aligns;
    private final List<List<Cell>> rows = new ArrayList<>();
    private String indent = "";

    private Table(List<String> headers, List<Align> aligns) {
        this.headers = headers;
        this.aligns = aligns;
    }

    /** Columns named by {@code spec}: a leading {@code >} makes a column right-aligned ({@code ">PID"}). */
    public static Table of(String... spec) {
        List<String> h = new ArrayList<>();
        List<Align> a = new ArrayList<>();
        for (String s : spec) {
            boolean right = s.startsWith(">");
            h.add(right ? s.substring(1) : s);
            a.add(right ? Align.RIGHT : Align.LEFT);
        }
        return new Table(h, a);
    }

    public Table indent(String prefix) {
        this.indent = prefix;
        return this;
    }

    public Table row(Object... cells) {
        List<Cell> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c instanceof Cell cell ? cell : new Cell(c == null ? "" : c.toString(), Palette.Role.PLAIN));
            // names from images reach the terminal escaped, whatever column they sit in
            r.set(r.size() - 1, new Cell(Quote.controls(r.get(r.size() - 1).text()), r.get(r.size() - 1).role()));
        }
        while (r.size() < headers.size()) {
            r.add(new Cell("", Palette.Role.PLAIN));
        }
        rows.add(r);
        return this;
    }

    public static Cell cell(String text, Palette.Role role) {
        return new Cell(text, role);
    }

    public int size() {
        return rows.size();
    }

    /** The table as lines (header first unless all headers are empty). */
    public List<String> lines(Palette p) {
        int n = headers.size();
        int[] w = new int[n];
        boolean header = headers.stream().anyMatch(s -> !s.isEmpty());
        for (int i = 0; i < n; i++) {
            w[i] = header ? headers.get(i).length() : 0;
            for (List<Cell> r : rows) {
                w[i] = Math.max(w[i], r.get(i).text().length());
            }
        }
        List<String> out = new ArrayList<>();
        if (header) {
            List<Cell> hc = new ArrayList<>();
            for (String s : headers) {
                hc.add(new Cell(s, Palette.Role.HEADING));
            }
            out.add(line(hc, w, p));
        }
        for (List<Cell> r : rows) {
            out.add(line(r, w, p));
        }
        return out;
    }

    private String line(List<Cell> cells, int[] w, Palette p) {
        StringBuilder s = new StringBuilder(indent);
        int last = cells.size() - 1;
        while (last > 0 && cells.get(last).text().isEmpty()) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            Cell c = cells.get(i);
            String t = c.text();
            int pad = w[i] - t.length();
            if (i > 0) {
                s.append("  ");
            }
            if (aligns.get(i) == Align.RIGHT) {
                s.append(" ".repeat(pad)).append(p.paint(c.role(), t));
            } else {
                s.append(p.paint(c.role(), t));
                if (i < last) {
                    s.append(" ".repeat(pad));
                }
            }
        }
        return s.toString();
    }
}
