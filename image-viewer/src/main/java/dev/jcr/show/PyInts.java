package dev.jcr.show;

import java.math.BigInteger;

/** Python's {@code int(text, 0)}: decimal, 0x/0o/0b prefixes, a sign, underscores between digits. */
final class PyInts {

    private PyInts() {
    }

    static BigInteger parse(String text) {
        String s = text.strip().replace("_", "");
        boolean neg = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        String lower = s.toLowerCase();
        if (lower.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            s = s.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0") && !s.chars().allMatch(c -> c == '0')) {
            throw new NumberFormatException("invalid integer " + text + " (leading zero)");
        }
        if (s.isEmpty()) {
            throw new NumberFormatException("invalid integer '" + text + "'");
        }
        BigInteger v = new BigInteger(s, radix);
        return neg ? v.negate() : v;
    }
}
