package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * The sizes of one round of gateway workloads, shared by the Java and the Python side.
 *
 * @param spec gateway spec, e.g. popen//python=/usr/bin/python3
 * @param readyReps gateways spawned per round for the "ready" figure (median taken)
 * @param echo timed echo roundtrips; small small messages each way; bulk 1 MiB items each way;
 *     channels concurrent channels
 * @param groupSize gateways in the group that is started and terminated as a whole
 * @param groupTimeoutS the timeout of the group's terminate, in seconds
 */
record GatewayParams(String spec, int readyReps, int echo, int small, int bulk, int channels, int groupSize,
                     double groupTimeoutS) {

    /** Sizes from -Dexecnet4j.bench.* properties, with defaults that keep the whole run well under 3 minutes. */
    static GatewayParams fromSystemProperties() {
        return new GatewayParams(
                System.getProperty("execnet4j.bench.spec", "popen//python=/usr/bin/python3"),
                Integer.getInteger("execnet4j.bench.readyReps", 5),
                Integer.getInteger("execnet4j.bench.echo", 5000),
                Integer.getInteger("execnet4j.bench.small", 50000),
                Integer.getInteger("execnet4j.bench.bulk", 100),
                Integer.getInteger("execnet4j.bench.channels", 500),
                Integer.getInteger("execnet4j.bench.groupSize", 16),
                Double.parseDouble(System.getProperty("execnet4j.bench.groupTimeout", "10")));
    }

    /** The group's terminate timeout. */
    Duration groupTimeout() {
        return Duration.ofMillis(Math.round(groupTimeoutS * 1000));
    }

    /** The same sizes as arguments of python/execnet_gateway_bench.py. */
    List<String> scriptArgs() {
        return List.of("--spec", spec, "--ready-reps", String.valueOf(readyReps), "--echo", String.valueOf(echo),
                "--small", String.valueOf(small), "--bulk", String.valueOf(bulk),
                "--channels", String.valueOf(channels), "--group-size", String.valueOf(groupSize),
                "--group-timeout", String.valueOf(groupTimeoutS));
    }
}
