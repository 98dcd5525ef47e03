package dev.jcr.app.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size on the command line, as CRIU writes them: bytes, or a number with K, M or G (powers of 1024,
 * an optional "iB" or "B" after the letter), e.g. {@code --ghost-limit 16M}.
 */
public final class ByteSize implements ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                default -> shift = -1;
            }
            if (shift > 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                shift = 0;
            }
        }
        long n;
        try {
            n = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a size (bytes, or a number with K, M or G)");
        }
        if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new TypeConversionException("'" + text + "' is not a size between 0 and 8 EiB");
        }
        return n << shift;
    }
}
