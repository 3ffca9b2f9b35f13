package org.execnet4j.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs rounds alternating between execnet4j (in this JVM) and Python execnet (a benchmark script in a fresh
 * process per round): execnet4j, execnet, execnet4j, execnet, ...; the first {@code warmups} rounds of each side
 * are printed but not kept. Shared by {@link GatewayVsExecnet} and {@link SshVsExecnet}.
 */
final class AlternatingRounds {
    private AlternatingRounds() {
    }

    /** One execnet4j round: its figures. */
    @FunctionalInterface
    interface JavaRound {
        Map<GatewayMetric, Double> run() throws Exception;
    }

    /**
     * The kept rounds of both sides.
     *
     * @param pyDescription what ran on the execnet side, or "unavailable: why" (then {@code py} is empty)
     */
    record Result(List<Map<GatewayMetric, Double>> java, List<Map<GatewayMetric, Double>> py, String pyDescription) {
    }

    /**
     * Runs the rounds; the script's JSON line must have {@code execnet_available} and each metric's key.
     * If execnet cannot run, the remaining rounds run execnet4j alone.
     */
    static Result run(int warmups, int rounds, JavaRound javaRound, String python, Path script, List<String> scriptArgs,
                      Set<GatewayMetric> metrics) throws Exception {
        List<Map<GatewayMetric, Double>> java = new ArrayList<>();
        List<Map<GatewayMetric, Double>> py = new ArrayList<>();
        String pyDescription = null;
        for (int round = -warmups; round < rounds; round++) {
            String name = round < 0 ? "warm-up " + (round + warmups + 1) : "round " + (round + 1);
            Map<GatewayMetric, Double> j = javaRound.run();
            GatewayTable.printRound(System.out, name + " execnet4j", j);
            if (round >= 0) {
                java.add(j);
            }
            if (pyDescription != null && pyDescription.startsWith("unavailable")) {
                continue;                              // execnet cannot run: report the Java figures alone
            }
            ExecnetRun.Output out = ExecnetRun.runScript(python, script, scriptArgs);
            if (out.json() == null || !"true".equals(FlatJson.field(out.json(), "execnet_available"))) {
                pyDescription = "unavailable: " + (out.json() == null ? out.error()
                        : "execnet is not importable by " + python + ": " + FlatJson.string(out.json(), "error"));
                System.out.println(name + " execnet: " + pyDescription);
                continue;
            }
            pyDescription = "execnet " + FlatJson.string(out.json(), "execnet_version") + " on "
                    + FlatJson.string(out.json(), "python") + " (Python " + FlatJson.string(out.json(), "python_version")
                    + "), host in a fresh process per round (" + script + ")";
            Map<GatewayMetric, Double> e = new EnumMap<>(GatewayMetric.class);
            for (GatewayMetric m : metrics) {
                e.put(m, FlatJson.number(out.json(), m.jsonKey));
            }
            GatewayTable.printRound(System.out, name + " execnet  ", e);
            if (round >= 0) {
                py.add(e);
            }
        }
        return new Result(java, py, pyDescription);
    }
}
