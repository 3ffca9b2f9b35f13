package org.execnet4j.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;

/**
 * Main class comparing execnet4j with Python execnet end to end over popen gateways, then over socket gateways
 * ({@link SocketVsExecnet}), in alternating rounds; argument 1 or -Dexecnet4j.python names the host Python for
 * execnet (default /usr/bin/python3); -Dexecnet4j.bench.parts=popen,socket chooses the parts (default both).
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
            if (EngineSettings.DEFAULTS.warmStart()) {
                printFirstOfKind(params.spec(), params.readyReps(), GatewayTable.median(r.py(), GatewayMetric.READY));
            }
        }
        if (parts.contains("socket")) {
            SocketVsExecnet.run(python, script, params, warmups, rounds);
        }
        System.out.printf("total wall time: %.0f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * With the warm start on (-Dexecnet4j.warmStart=true the "ready" row above is that of later gateways): the
     * ready time of the first gateway of its kind, which starts the warm interpreter (a new launcher each time).
     */
    private static void printFirstOfKind(String spec, int reps, double execnetReady) {
        double[] times = new double[reps];
        for (int i = 0; i < reps; i++) {
            GatewayLauncher launcher = new GatewayLauncher(
                    TransportLocator.serviceLoader(GatewayVsExecnet.class.getClassLoader()), EngineSettings.DEFAULTS);
            long t0 = System.nanoTime();
            Gateway gw = launcher.launch(Spec.parse(spec), "first");
            gw.remoteExec(GatewayWorkloads.READY_SRC).receive(Duration.ofSeconds(120));
            times[i] = (System.nanoTime() - t0) / 1e9;
            gw.exit(Duration.ofSeconds(10));
            launcher.abortCompiles();
        }
        Arrays.sort(times);
        double median = times[reps / 2];
        System.out.printf("popen ready, first gateway of its kind (warm start): %.4f s = %.2fx execnet's ready%n",
                median, median / execnetReady);
    }
}
