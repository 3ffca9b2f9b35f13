package org.execnet4j.core.internal;

import java.util.Map;

/**
 * Python source literals for values the engine pastes into programs (the bootstrap line, its
 * config dict): printable ASCII only, every other character escaped, so nothing a spec holds can
 * break out of the literal or depend on the remote's locale.
 */
final class PythonLiteral {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonLiteral() {
    }

    /** A single-quoted Python str literal of {@code s}. */
    static String str(String s) {
        StringBuilder out = new StringBuilder(s.length() + s.length() / 8 + 2);
        out.append('\'');
        appendEscaped(out, s);
        return out.append('\'').toString();
    }

    /** Appends the escaped body of a str literal (no quotes). */
    static void appendEscaped(StringBuilder out, CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        out.append("\\U");
                        hex(out, cp, 8);
                    } else if (c < 0x100) {
                        out.append("\\x");
                        hex(out, c, 2);
                    } else {
                        out.append("\\u");
                        hex(out, c, 4);
                    }
                }
            }
        }
    }

    private static void hex(StringBuilder out, int v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX[(v >>> shift) & 0xF]);
        }
    }

    /** A Python literal of a String, Number, Boolean, null or a Map of those (for config dicts). */
    static String of(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d.toString() : "float('" + d + "')";
        }
        if (v instanceof String s) {
            return str(s);
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, val) -> out.append(out.length() > 1 ? ", " : "").append(of(k)).append(": ").append(of(val)));
            return out.append('}').toString();
        }
        throw new IllegalArgumentException("no literal for " + v.getClass().getName());
    }
}
