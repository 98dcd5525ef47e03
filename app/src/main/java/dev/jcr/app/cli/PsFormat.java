package dev.jcr.app.cli;

import java.util.Locale;

/** Text helpers of {@code jcr ps}: sizes in human units and lines cut to the screen width. */
final class PsFormat {

    private static final String UNITS = "KMGTPE";

    private PsFormat() {
    }

    /**
     * A byte count as a person reads it in ps/htop: {@code 0}, {@code 512B}, {@code 980K}, {@code 1.5M},
     * {@code 2.1G}. Powers of 1024; one decimal below 10 units, whole numbers above, never more than
     * four digits (1023.7K shows as 1.0M), so the column stays narrow.
     */
    static String humanBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        if (bytes == 0) {
            return "0";
        }
        if (bytes < 1024) {
            return bytes + "B";
        }
        double v = bytes;
        int unit = -1;
        while (true) {
            v /= 1024;
            unit++;
            boolean decimal = v < 9.95;
            double shown = decimal ? Math.round(v * 10) / 10.0 : Math.round(v);
            if (shown < 1024 || unit == UNITS.length() - 1) {
                return decimal ? String.format(Locale.ROOT, "%.1f%c", shown, UNITS.charAt(unit))
                        : String.format(Locale.ROOT, "%d%c", (long) shown, UNITS.charAt(unit));
            }
        }
    }

    /** {@code line} cut to {@code width} characters (code points); a width of 0 or less means no limit. */
    static String cut(String line, int width) {
        if (width <= 0 || line.length() <= width) {
            return line;
        }
        int end = line.offsetByCodePoints(0, Math.min(width, line.codePointCount(0, line.length())));
        return line.substring(0, end);
    }
}
