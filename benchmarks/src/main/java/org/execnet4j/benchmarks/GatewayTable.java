package org.execnet4j.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Prints per-round gateway figures and the final median table with execnet4j/execnet ratios and targets. */
final class GatewayTable {
    private static final String ROW = "%-42s  %16s  %16s  %9s  %-8s %s%n";

    private GatewayTable() {
    }

    /** One line with every figure of a round, e.g. for "round 2 java". */
    static void printRound(PrintStream out, String name, Map<GatewayMetric, Double> figures) {
        StringJoiner j = new StringJoiner(", ");
        figures.forEach((m, v) -> j.add(m.jsonKey + "=" + m.format(v)));
        out.println(name + ": " + j);
        out.flush();
    }

    /** The median of each metric over the rounds; NaN if there are none. */
    static double median(List<Map<GatewayMetric, Double>> rounds, GatewayMetric m) {
        double[] v = rounds.stream().mapToDouble(r -> r.getOrDefault(m, Double.NaN)).toArray();
        return v.length == 0 ? Double.NaN : GatewayWorkloads.median(v);
    }

    /** Prints the comparison table of medians over the rounds. */
    static void print(PrintStream out, GatewayParams p, List<Map<GatewayMetric, Double>> java,
                      List<Map<GatewayMetric, Double>> py, String pyDescription) {
        out.println();
        out.println("=== execnet4j vs Python execnet: end-to-end gateway (median of " + java.size()
                + " alternating rounds each) ===");
        out.printf(Locale.ROOT, "spec %s; ready: median of %d spawns/round; echo %d roundtrips; small %d msgs "
                        + "(int / 'item-N' mix) each way; bulk %d x 1 MiB each way (MB = 10^6 B); %d channels%n",
                p.spec(), p.readyReps(), p.echo(), p.small(), p.bulk(), p.channels());
        out.println("execnet4j: java " + System.getProperty("java.version") + ", host JVM in this process");
        out.println("execnet:   " + pyDescription);
        out.printf(ROW, "workload", "execnet4j", "execnet", "ratio", "target", "");
        for (GatewayMetric m : GatewayMetric.values()) {
            double j = median(java, m);
            double e = median(py, m);
            double ratio = j / e;
            boolean known = !Double.isNaN(ratio);
            out.printf(ROW, m.label, m.format(j), m.format(e),
                    known ? String.format(Locale.ROOT, "%.2fx", ratio) : "n/a", m.targetText(),
                    known ? (m.met(ratio) ? "MET" : "MISSED") : "n/a");
        }
        out.println("ratio = execnet4j / execnet: for times lower is better, for rates (msg/s, MB/s) higher is better");
    }
}
