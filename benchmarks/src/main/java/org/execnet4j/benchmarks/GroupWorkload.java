package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;

/**
 * The group workload through execnet4j, mirroring group_start_terminate in python/execnet_gateway_bench.py:
 * a new group, {@code makeGateways} of N copies of the spec (started in parallel), one
 * {@code remote_exec("channel.send(1)")} roundtrip on each (all sent, then all received), then
 * {@code terminate(timeout)}. Times the start phase (until every gateway answered), the terminate phase and
 * their sum, and the CPU used meanwhile by this process and by its (reaped) child processes.
 *
 * <p>The remote CPU is the CPU of the processes this JVM reaped (cutime + cstime): gateways forked from a warm
 * interpreter are reaped by it, and it by this JVM when the group's terminate ends it, so their CPU is counted
 * through it (Linux adds a reaped child's own children's CPU). As a check, the gateways' own CPU read just before
 * {@code terminate} (not timed) must be below that figure; a warning on stderr says when it is not.
 */
final class GroupWorkload {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private GroupWorkload() {
    }

    /** Runs the workload once; the figures are in seconds. */
    static Map<GatewayMetric, Double> run(String spec, int size, Duration terminateTimeout) {
        Map<GatewayMetric, Double> r = new EnumMap<>(GatewayMetric.class);
        List<String> specs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            specs.add(spec);
        }
        try (Group group = Execnet.newGroup("bench-group")) {
            double[] cpu0 = ProcStat.cpu("self");
            long t0 = System.nanoTime();
            List<Gateway> gateways = group.makeGateways(specs);
            readyOnEach(gateways);
            long t1 = System.nanoTime();
            double gatewaysOwn = gateways.stream().mapToDouble(g -> ProcStat.cpu(Long.toString(g.remoteInfo(TIMEOUT).pid()))[0])
                    .sum();
            long t1b = System.nanoTime();
            Map<String, ExitOutcome> outcomes = group.terminate(terminateTimeout);
            long t2 = System.nanoTime();
            double[] cpu1 = ProcStat.cpu("self");
            reportUnclean("group workload", outcomes);
            double remote = cpu1[1] - cpu0[1];
            if (remote + 2 / ProcStat.CLOCK_TICKS < gatewaysOwn) {
                System.err.printf("group workload: the reaped children's CPU (%.2f s) misses some of the gateways' own "
                        + "(%.2f s before terminate)%n", remote, gatewaysOwn);
            }
            r.put(GatewayMetric.GROUP_TOTAL, (t1 - t0 + t2 - t1b) / 1e9);
            r.put(GatewayMetric.GROUP_START, (t1 - t0) / 1e9);
            r.put(GatewayMetric.GROUP_TERMINATE, (t2 - t1b) / 1e9);
            r.put(GatewayMetric.GROUP_CPU_HOST, cpu1[0] - cpu0[0]);
            r.put(GatewayMetric.GROUP_CPU_REMOTE, remote);
        }
        return r;
    }

    /** One {@code remote_exec("channel.send(1)")} on each gateway (all sent, then all received). */
    static void readyOnEach(List<Gateway> gateways) {
        List<Channel> channels = new ArrayList<>(gateways.size());
        for (Gateway gw : gateways) {
            channels.add(gw.remoteExec(GatewayWorkloads.READY_SRC));
        }
        for (Channel ch : channels) {
            Object one = ch.receive(TIMEOUT);
            if (!Integer.valueOf(1).equals(one) && !Long.valueOf(1).equals(one)) {
                throw new IllegalStateException("expected 1, got " + one);
            }
        }
    }

    /** Prints on stderr each gateway that did not exit by itself at terminate. */
    static void reportUnclean(String workload, Map<String, ExitOutcome> outcomes) {
        outcomes.forEach((id, outcome) -> {
            if (outcome != ExitOutcome.EXITED) {
                System.err.println(workload + ": gateway " + id + " " + outcome);
            }
        });
    }
}
