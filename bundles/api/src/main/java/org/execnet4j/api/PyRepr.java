package org.execnet4j.api;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code repr()} of the values that travel over channels: {@code None}, {@code True},
 * {@code 'text'}, {@code b'\x00'}, {@code 1.5}, {@code 1e+16}, {@code nan}, {@code (1+2j)},
 * {@code (1,)}, {@code [1, 2]}, {@code {'k': None}}, {@code {3}}, {@code set()},
 * {@code frozenset({3})}, nested to any depth, with {@code [...]} for a container that holds
 * itself. Java values print as the Python values they become when sent: any {@link List} or
 * array as a list, any {@link Map} as a dict, any {@link Set} as a set, {@link Character} as a
 * string, {@link Float} as a float. Anything else prints as its {@link Object#toString()}.
 * Thread-safe: it keeps no state.
 */
public final class PyRepr {
    /** Python switches a float's repr to exponent notation at {@code 1e16} and below {@code 1e-4}. */
    private static final int MAX_FIXED_EXPONENT = 16;
    private static final int MIN_FIXED_EXPONENT = -4;
    /** A double never needs more significant digits than this to round-trip. */
    private static final int MAX_DOUBLE_DIGITS = 17;

    private PyRepr() {
    }

    /**
     * The text Python's {@code repr()} gives for the Python value {@code value} stands for.
     *
     * @param value a value as {@link Channel#receive()} returns it, or one that {@link Channel#send} takes
     * @return its Python repr
     */
    public static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out).write(value);
        return out.toString();
    }

    /**
     * Python's {@code repr()} of a float: the shortest digits that read back as the same double,
     * {@code inf}, {@code -inf} and {@code nan} for the special values.
     *
     * @param value the float
     * @return its Python repr, e.g. {@code 0.1}, {@code 1e+16}, {@code 1e-05}, {@code -0.0}
     */
    public static String reprFloat(double value) {
        String digits = floatDigits(value);
        return digits.matches("-?\\d+") ? digits + ".0" : digits;
    }

    /** A float as Python's {@code format(x, 'r')} writes it inside a complex: no {@code .0} added. */
    private static String floatDigits(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal shortest = shortest(value);
        BigDecimal unscaled = new BigDecimal(shortest.unscaledValue());
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < MIN_FIXED_EXPONENT || exponent >= MAX_FIXED_EXPONENT) {
            String mantissa = unscaled.movePointLeft(shortest.precision() - 1).toPlainString();
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        return shortest.toPlainString();
    }

    /** The decimal with the fewest significant digits that parses back to {@code value}. */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < MAX_DOUBLE_DIGITS; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == value) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(MAX_DOUBLE_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Python's {@code repr()} of a complex: {@code (1+2j)}, {@code 2j} when the real part is +0. */
    private static String reprComplex(PyComplex value) {
        String imag = floatDigits(value.imag()) + "j";
        if (value.real() == 0 && 1 / value.real() > 0) {
            return imag;
        }
        boolean signed = imag.startsWith("-") || imag.startsWith("+");
        return "(" + floatDigits(value.real()) + (signed ? "" : "+") + imag + ")";
    }

    /** Writes one value, recursing into containers; remembers those on the current path. */
    private static final class Writer {
        private final StringBuilder out;
        private final Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());

        Writer(StringBuilder out) {
            this.out = out;
        }

        void write(Object value) {
            if (value == null) {
                out.append("None");
            } else if (value instanceof Boolean b) {
                out.append(b ? "True" : "False");
            } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof Short || value instanceof Byte) {
                out.append(value);
            } else if (value instanceof Double || value instanceof Float) {
                out.append(reprFloat(((Number) value).doubleValue()));
            } else if (value instanceof PyComplex c) {
                out.append(reprComplex(c));
            } else if (value instanceof CharSequence || value instanceof Character) {
                writeString(value.toString());
            } else if (value instanceof byte[] bytes) {
                writeBytes(bytes);
            } else if (value instanceof Map<?, ?> || value instanceof Iterable<?> || value.getClass().isArray()) {
                writeContainer(value);
            } else {
                out.append(value);
            }
        }

        private void writeContainer(Object container) {
            if (!path.add(container)) {
                out.append(container instanceof Map<?, ?> || container instanceof Set<?> ? "{...}"
                        : container instanceof PyTuple ? "(...)" : "[...]");
                return;
            }
            try {
                if (container instanceof Map<?, ?> map) {
                    writeDict(map);
                } else if (container instanceof PyTuple tuple) {
                    writeItems("(", tuple.iterator(), tuple.size() == 1 ? ",)" : ")");
                } else if (container instanceof PyFrozenSet set) {
                    if (set.isEmpty()) {
                        out.append("frozenset()");
                    } else {
                        writeItems("frozenset({", set.iterator(), "})");
                    }
                } else if (container instanceof Set<?> set) {
                    if (set.isEmpty()) {
                        out.append("set()");
                    } else {
                        writeItems("{", set.iterator(), "}");
                    }
                } else if (container instanceof Iterable<?> items) {
                    writeItems("[", items.iterator(), "]");
                } else {
                    writeItems("[", arrayItems(container), "]");
                }
            } finally {
                path.remove(container);
            }
        }

        private void writeDict(Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator);
                write(entry.getKey());
                out.append(": ");
                write(entry.getValue());
                separator = ", ";
            }
            out.append('}');
        }

        private void writeItems(String open, Iterator<?> items, String close) {
            out.append(open);
            String separator = "";
            while (items.hasNext()) {
                out.append(separator);
                write(items.next());
                separator = ", ";
            }
            out.append(close);
        }

        private static Iterator<Object> arrayItems(Object array) {
            int length = Array.getLength(array);
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < length;
                }

                @Override
                public Object next() {
                    return Array.get(array, next++);
                }
            };
        }

        private void writeString(String text) {
            char quote = quoteFor(text.indexOf('\'') >= 0, text.indexOf('"') >= 0);
            out.append(quote);
            text.codePoints().forEach(c -> {
                if (c == quote || c == '\\') {
                    out.append('\\').appendCodePoint(c);
                } else if (escapeCommon(c)) {
                    return;
                } else if (isPrintable(c)) {
                    out.appendCodePoint(c);
                } else {
                    out.append(c <= 0xff ? String.format("\\x%02x", c)
                            : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
                }
            });
            out.append(quote);
        }

        private void writeBytes(byte[] bytes) {
            boolean single = false;
            boolean dbl = false;
            for (byte b : bytes) {
                single |= b == '\'';
                dbl |= b == '"';
            }
            char quote = quoteFor(single, dbl);
            out.append('b').append(quote);
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c == quote || c == '\\') {
                    out.append('\\').append((char) c);
                } else if (escapeCommon(c)) {
                    continue;
                } else if (c >= ' ' && c < 0x7f) {
                    out.append((char) c);
                } else {
                    out.append(String.format("\\x%02x", c));
                }
            }
            out.append(quote);
        }

        /** Writes {@code \t}, {@code \n} or {@code \r} for those characters; false for any other. */
        private boolean escapeCommon(int c) {
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Python's choice: single quotes unless the text holds a single quote and no double one. */
        private static char quoteFor(boolean hasSingle, boolean hasDouble) {
            return hasSingle && !hasDouble ? '"' : '\'';
        }

        /** Python's {@code str.isprintable()} for one character: no control, format, separator (but space) or unassigned. */
        private static boolean isPrintable(int c) {
            if (c == ' ') {
                return true;
            }
            return switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                        Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
                default -> true;
            };
        }
    }
}
