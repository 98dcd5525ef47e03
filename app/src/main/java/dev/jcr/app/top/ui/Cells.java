package dev.jcr.app.top.ui;

/** Small text helpers for fixed-width cells. */
public final class Cells {

    private Cells() {
    }

    public static String left(String s, int w) {
        if (s.length() >= w) {
            return s.substring(0, w);
        }
        return s + " ".repeat(w - s.length());
    }

    public static String right(String s, int w) {
        if (s.length() >= w) {
            return s.substring(s.length() - w);
        }
        return " ".repeat(w - s.length()) + s;
    }

    /** KiB as a short human size: 812K, 12.3M, 1.2G. */
    public static String kib(long kib) {
        if (kib < 1024) {
            return kib + "K";
        }
        double m = kib / 1024.0;
        if (m < 1024) {
            return m < 100 ? String.format("%.1fM", m) : String.format("%.0fM", m);
        }
        return String.format("%.1fG", m / 1024);
    }

    /** Bytes as a short human size. */
    public static String bytes(long b) {
        return b < 1024 ? b + "B" : kib(b / 1024);
    }
}
