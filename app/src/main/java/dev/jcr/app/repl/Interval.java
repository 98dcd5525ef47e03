package dev.jcr.app.repl;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * How long {@code every} waits between the starts of two runs: one or more numbers with a unit,
 * e.g. {@code 500ms}, {@code 10s}, {@code 10m}, {@code 1h}, {@code 1h30m}.
 */
public record Interval(Duration duration, String text) {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public Interval {
        if (duration.isZero() || duration.isNegative()) {
            throw new ReplUsageException("interval '" + text + "' must be longer than zero");
        }
    }

    public static Interval parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (NumberFormatException | ArithmeticException e) {
                throw bad(text);
            }
            at = m.end();
        }
        if (at == 0 || at != t.length()) {
            throw bad(text);
        }
        return new Interval(total, text);
    }

    private static ReplUsageException bad(String text) {
        return new ReplUsageException("bad interval '" + text + "': use a number with a unit, e.g. 500ms, 10s, 10m, 1h, 1h30m");
    }

    @Override
    public String toString() {
        return text;
    }

    /** Lets picocli parse an INTERVAL parameter. */
    public static final class Converter implements ITypeConverter<Interval> {
        @Override
        public Interval convert(String value) {
            try {
                return parse(value);
            } catch (ReplUsageException e) {
                // picocli prefixes this message with the parameter's name
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
