package dev.jcr.show.text;

import java.util.Locale;

/** Sizes and durations for people: {@code 512 B}, {@code 1.5 KiB}, {@code 16.0 MiB}, {@code 5.1 ms}. */
public final class Human {

    private Human() {
    }

    public static String bytes(long n) {
        if (n < 0) {
            return "-" + bytes(-n);
        }
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** A signed size change: {@code +4.0 KiB}, {@code -1.0 MiB}, {@code 0 B}. */
    public static String delta(long n) {
        return n > 0 ? "+" + bytes(n) : bytes(n);
    }

    public static String pages(long n) {
        return n + (n == 1 ? " page" : " pages") + " (" + bytes(n * 4096) + ")";
    }

    /** Microseconds as {@code 109 µs}, {@code 5.1 ms}, {@code 2.30 s}. */
    public static String micros(long us) {
        if (us < 1000) {
            return us + " µs";
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", us / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2f s", us / 1_000_000.0);
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    public static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
