package org.execnet4j.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Main class comparing execnet4j with Python execnet end to end over popen gateways, in alternating rounds;
 * argument 1 or -Dexecnet4j.python names the host Python for execnet (default /usr/bin/python3).
 */
public final class GatewayVsExecnet {
    static final String SCRIPT = "execnet_gateway_bench.py";

    private GatewayVsExecnet() {
    }

    /** Runs warm-up rounds, then alternating Java / Python rounds, and prints the medians table. */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String python = args.length > 0 ? args[0] : System.getProperty("execnet4j.python", "/usr/bin/python3");
        int rounds = Integer.getInteger("execnet4j.bench.rounds", 5);
        int warmups = Integer.getInteger("execnet4j.bench.warmups", 2);
        GatewayParams params = GatewayParams.fromSystemProperties();
        Path script = ExecnetRun.locateScript(SCRIPT, "execnet4j.bench.gatewayScript");

        List<Map<GatewayMetric, Double>> java = new ArrayList<>();
        List<Map<GatewayMetric, Double>> py = new ArrayList<>();
        String pyDescription = null;
        for (int round = -warmups; round < rounds; round++) {
            String name = round < 0 ? "warm-up " + (round + warmups + 1) : "round " + (round + 1);
            Map<GatewayMetric, Double> j = GatewayWorkloads.runRound(params);
            GatewayTable.printRound(System.out, name + " execnet4j", j);
            if (round >= 0) {
                java.add(j);
            }
            if (pyDescription != null && pyDescription.startsWith("unavailable")) {
                continue;                              // execnet cannot run: report the Java figures alone
            }
            ExecnetRun.Output out = ExecnetRun.runScript(python, script, params.scriptArgs());
            if (out.json() == null || !"true".equals(FlatJson.field(out.json(), "execnet_available"))) {
                pyDescription = "unavailable: " + (out.json() == null ? out.error()
                        : "execnet is not importable by " + python + ": " + FlatJson.string(out.json(), "error"));
                System.out.println(name + " execnet: " + pyDescription);
                continue;
            }
            pyDescription = "execnet " + FlatJson.string(out.json(), "execnet_version") + " on "
                    + FlatJson.string(out.json(), "python") + " (Python " + FlatJson.string(out.json(), "python_version")
                    + "), host in a fresh process per round (" + script + ")";
            Map<GatewayMetric, Double> e = Stream.of(GatewayMetric.values()).collect(Collectors.toMap(
                    Function.identity(), m -> FlatJson.number(out.json(), m.jsonKey), (a, b) -> a,
                    () -> new EnumMap<>(GatewayMetric.class)));
            GatewayTable.printRound(System.out, name + " execnet  ", e);
            if (round >= 0) {
                py.add(e);
            }
        }
        GatewayTable.print(System.out, params, java, py, pyDescription);
        System.out.printf("total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }
}
