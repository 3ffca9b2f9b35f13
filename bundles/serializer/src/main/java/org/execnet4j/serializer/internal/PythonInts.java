package org.execnet4j.serializer.internal;

import java.math.BigInteger;

/** Python {@code int()} text syntax and the Integer/Long/BigInteger choice for decoded ints. */
final class PythonInts {
    private PythonInts() {
    }

    /**
     * The text as {@link BigInteger} accepts it ({@code -123}), or {@code null} if Python's
     * {@code int()} would refuse it. Accepts surrounding whitespace, a sign and single
     * underscores between digits, as Python does.
     */
    static String canonicalDigits(String text) {
        String s = text.strip();
        int i = 0;
        StringBuilder out = new StringBuilder(s.length());
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            if (s.charAt(0) == '-') {
                out.append('-');
            }
            i = 1;
        }
        boolean lastWasDigit = false;
        int digits = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
                lastWasDigit = true;
                digits++;
            } else if (c == '_' && lastWasDigit) {
                lastWasDigit = false;
            } else {
                return null;
            }
        }
        return digits > 0 && lastWasDigit ? out.toString() : null;
    }

    /** The smallest of Integer, Long and BigInteger that holds the value. */
    static Number narrow(BigInteger value) {
        int bits = value.bitLength();
        if (bits < 32) {
            return value.intValue();
        }
        if (bits < 64) {
            return value.longValue();
        }
        return value;
    }
}
