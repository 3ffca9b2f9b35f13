package org.execnet4j.benchmarks;

import java.io.PrintStream;
import java.util.Collection;
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
        out.printf(Locale.ROOT, "group: %d gateways of that spec in one group (execnet4j: makeGateways, in parallel; "
                + "execnet: makegateway %d times, one after another), one remote_exec roundtrip on each, "
                + "terminate(%s s); CPU from /proc/self/stat (execnet4j) and getrusage (execnet)%n",
                p.groupSize(), p.groupSize(), p.groupTimeoutS());
        out.println("execnet4j: java " + System.getProperty("java.version") + ", host JVM in this process");
        out.println("execnet:   " + pyDescription);
        printRows(out, GatewayMetric.POPEN, java, py);
        printGroupBound(out, p, java, py);
        out.println("ratio = execnet4j / execnet: for times lower is better, for rates (msg/s, MB/s) higher is better");
    }

    /** The column header and one row per metric: both medians, their ratio, the target and whether it is met. */
    static void printRows(PrintStream out, Collection<GatewayMetric> metrics, List<Map<GatewayMetric, Double>> java,
                          List<Map<GatewayMetric, Double>> py) {
        out.printf(ROW, "workload", "execnet4j", "execnet", "ratio", "target", "");
        for (GatewayMetric m : metrics) {
            double j = median(java, m);
            double e = median(py, m);
            double ratio = j / e;
            boolean known = !Double.isNaN(ratio);
            out.printf(ROW, m.label, m.format(j), m.format(e),
                    known ? String.format(Locale.ROOT, "%.2fx", ratio) : "n/a", m.targetText(),
                    !m.hasTarget() ? "" : known ? (m.met(ratio) ? "MET" : "MISSED") : "n/a");
        }
    }

    /**
     * The CPU bound of the group workload: with C cores, the wall time cannot be below (host CPU + remote CPU) / C,
     * nor below one gateway's own start latency (the "gateway ready" figure).
     */
    private static void printGroupBound(PrintStream out, GatewayParams p, List<Map<GatewayMetric, Double>> java,
                                        List<Map<GatewayMetric, Double>> py) {
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "group CPU bound (%d cores): wall >= max(gateway ready, (host CPU + remote CPU) / %d)%n",
                cores, cores);
        printBound(out, "execnet4j", p, java, cores);
        printBound(out, "execnet  ", p, py, cores);
    }

    private static void printBound(PrintStream out, String side, GatewayParams p,
                                   List<Map<GatewayMetric, Double>> rounds, int cores) {
        double host = median(rounds, GatewayMetric.GROUP_CPU_HOST);
        double remote = median(rounds, GatewayMetric.GROUP_CPU_REMOTE);
        double total = median(rounds, GatewayMetric.GROUP_TOTAL);
        if (Double.isNaN(host) || Double.isNaN(remote) || Double.isNaN(total)) {
            out.println("  " + side + ": n/a");
            return;
        }
        double bound = Math.max(median(rounds, GatewayMetric.READY), (host + remote) / cores);
        out.printf(Locale.ROOT, "  %s: remote %.1f ms CPU per gateway, host %.0f ms CPU -> bound %.0f ms; "
                        + "measured total %.0f ms = %.2fx the bound%n",
                side, remote / p.groupSize() * 1e3, host * 1e3, bound * 1e3, total * 1e3, total / bound);
    }
}
