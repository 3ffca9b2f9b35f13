package org.execnet4j.benchmarks;

/**
 * The figures that python/execnet_serializer_bench.py prints as one JSON line, or why there are none.
 *
 * @param available whether execnet ran; when false only {@code message} is meaningful
 * @param message the reason execnet did not run, or a short description of what ran
 * @param byteIdentical whether Python's {@code execnet.dumps} of the loaded value equals the Java dump
 * @param firstDifference the first differing byte offset, or -1
 * @param dumpsBestS best {@code execnet.dumps} time in seconds; likewise the others
 * @param dumpsCpuBestS least process CPU time of one {@code execnet.dumps} in seconds; likewise loads
 */
record ExecnetResult(boolean available, String message, boolean byteIdentical, long firstDifference,
                            double dumpsBestS, double dumpsMedianS, double loadsBestS, double loadsMedianS,
                            double dumpsCpuBestS, double loadsCpuBestS) {

    /** A result saying execnet could not be measured, and why. */
    static ExecnetResult unavailable(String why) {
        return new ExecnetResult(false, why, false, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);
    }

    /** Parses the script's JSON line (flat object, no nesting); a tiny reader keeps the jar free of JSON libraries. */
    static ExecnetResult parse(String json) {
        if (!"true".equals(field(json, "execnet_available"))) {
            return unavailable("execnet is not importable by " + unquote(field(json, "python")) + ": "
                    + unquote(field(json, "error")));
        }
        String diff = field(json, "first_difference");
        return new ExecnetResult(true,
                "execnet " + unquote(field(json, "execnet_version")) + " on " + unquote(field(json, "python"))
                        + " (Python " + unquote(field(json, "python_version")) + "), best of "
                        + field(json, "repeat") + " runs",
                "true".equals(field(json, "byte_identical")),
                diff == null || "null".equals(diff) ? -1 : Long.parseLong(diff),
                number(json, "dumps_best_s"), number(json, "dumps_median_s"),
                number(json, "loads_best_s"), number(json, "loads_median_s"),
                number(json, "dumps_cpu_best_s"), number(json, "loads_cpu_best_s"));
    }

    private static String field(String json, String key) {
        return FlatJson.field(json, key);
    }

    private static double number(String json, String key) {
        return FlatJson.number(json, key);
    }

    private static String unquote(String v) {
        return v == null ? "?" : v.replaceAll("^\"|\"$", "").replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
