package org.execnet4j.benchmarks;

import java.nio.file.Path;

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

        AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds, () -> GatewayWorkloads.runRound(params),
                python, script, params.scriptArgs(), GatewayMetric.POPEN);
        GatewayTable.print(System.out, params, r.java(), r.py(), r.pyDescription());
        System.out.printf("total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }
}
