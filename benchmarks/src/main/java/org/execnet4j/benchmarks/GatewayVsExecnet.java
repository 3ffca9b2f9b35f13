package org.execnet4j.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Main class comparing execnet4j with Python execnet end to end over popen gateways, then over socket gateways
 * ({@link SocketVsExecnet}), in alternating rounds; argument 1 or -Dexecnet4j.python names the host Python for
 * execnet (default /usr/bin/python3); -Dexecnet4j.bench.parts=popen,socket chooses the parts (default both);
 * the part {@code ready} runs only the row "gateway ready, 1st in a new group" (a fresh interpreter per gateway), the
 * part {@code group} only the rows of the group of {@code -Dexecnet4j.bench.groupSize} gateways (e.g.
 * {@code -Dexecnet4j.bench.parts=group -Dexecnet4j.warmStart=true}).
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

        List<String> parts = List.of(System.getProperty("execnet4j.bench.parts", "popen,socket").split(","));
        if (parts.contains("popen")) {
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds, () -> GatewayWorkloads.runRound(params),
                    python, script, params.scriptArgs(), GatewayMetric.POPEN);
            GatewayTable.print(System.out, params, r.java(), r.py(), r.pyDescription());
        }
        if (parts.contains("ready")) {
            List<String> readyArgs = new ArrayList<>(params.scriptArgs());
            readyArgs.add("--ready-only");
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds,
                    () -> Map.of(GatewayMetric.READY, GatewayWorkloads.gatewayReady(params.spec(), params.readyReps())),
                    python, script, readyArgs, Set.of(GatewayMetric.READY));
            System.out.println();
            System.out.println("=== gateway ready, 1st in a new group: median of " + r.java().size() + " rounds of "
                    + params.readyReps() + " spawns (" + params.spec() + "); execnet: " + r.pyDescription() + " ===");
            GatewayTable.printRows(System.out, Set.of(GatewayMetric.READY), r.java(), r.py());
        }
        if (parts.contains("group")) {
            List<String> groupArgs = new ArrayList<>(params.scriptArgs());
            groupArgs.add("--group-only");
            Set<GatewayMetric> rows = EnumSet.range(GatewayMetric.GROUP_TOTAL, GatewayMetric.GROUP_CPU_REMOTE);
            AlternatingRounds.Result r = AlternatingRounds.run(warmups, rounds,
                    () -> GroupWorkload.run(params.spec(), params.groupSize(), params.groupTimeout()),
                    python, script, groupArgs, rows);
            System.out.println();
            System.out.println("=== group of " + params.groupSize() + ": median of " + r.java().size() + " rounds ("
                    + params.spec() + "); execnet: " + r.pyDescription() + " ===");
            GatewayTable.printRows(System.out, rows, r.java(), r.py());
        }
        if (parts.contains("socket")) {
            SocketVsExecnet.run(python, script, params, warmups, rounds);
        }
        System.out.printf("total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }
}
