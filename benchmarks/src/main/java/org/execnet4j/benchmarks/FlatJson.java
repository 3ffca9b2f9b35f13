package org.execnet4j.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads fields of the flat (unnested) JSON lines the Python scripts print; keeps the jar free of JSON libraries. */
final class FlatJson {
    private FlatJson() {
    }

    /** The raw text of {@code key}'s value (a quoted string keeps its quotes), or null if absent. */
    static String field(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]+)")
                .matcher(json);
        return m.find() ? m.group(1).trim() : null;
    }

    /** {@code key}'s value as a number, NaN if absent. */
    static double number(String json, String key) {
        String v = field(json, key);
        return v == null || "null".equals(v) ? Double.NaN : Double.parseDouble(v);
    }

    /** {@code key}'s value as a string without quotes, "?" if absent. */
    static String string(String json, String key) {
        String v = field(json, key);
        return v == null ? "?" : v.replaceAll("^\"|\"$", "").replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
