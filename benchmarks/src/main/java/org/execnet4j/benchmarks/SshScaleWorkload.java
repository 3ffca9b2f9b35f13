package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.group.internal.GatewayGroup;
import org.execnet4j.transport.ssh.SshTransport;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * One round of the ssh scale run through execnet4j, mirroring {@code ssh_scale} in python/execnet_gateway_bench.py:
 * a fresh {@link SshTransport} and group, {@code perHost} gateways on each of the hosts (one {@code makeGateways}
 * call, which starts them all in parallel; gateways to one host share its connection), one
 * {@code remote_exec("channel.send(1)")} roundtrip on each, then {@code terminate}. Besides the times it records this
 * JVM's CPU, the remote CPU per gateway (what the sshd listeners' children used: sshd's per-connection processes,
 * the shell and the interpreters) and the JVM's peak RSS.
 */
final class SshScaleWorkload {
    private SshScaleWorkload() {
    }

    /**
     * Runs one round.
     *
     * @param options the transport's options (known_hosts of all hosts, the client key)
     * @param hostSpecs one spec per host
     * @param perHost gateways per host
     * @param servers the sshd servers (their listeners' children CPU is the remote CPU)
     * @return the figures, in s and MB
     */
    static Map<GatewayMetric, Double> runRound(SshTransportOptions options, List<String> hostSpecs, int perHost,
                                               List<OpenSshServer> servers) throws Exception {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < perHost; i++) {
            specs.addAll(hostSpecs);
        }
        Map<GatewayMetric, Double> r = new EnumMap<>(GatewayMetric.class);
        double remote0 = remoteCpu(servers);
        double host0 = ProcStat.cpu("self")[0];
        long t0;
        long t1;
        long t1b;
        long t2;
        try (RssSampler rss = RssSampler.start(); SshTransport transport = new SshTransport(options)) {
            GatewayLauncher launcher = new GatewayLauncher(type -> Optional.of(transport), EngineSettings.DEFAULTS);
            GatewayGroup group = new GatewayGroup("ssh-scale", launcher, specs.get(0));
            t0 = System.nanoTime();
            List<Gateway> gateways = group.makeGateways(specs);
            GroupWorkload.readyOnEach(gateways);
            t1 = System.nanoTime();
            System.out.printf("ssh scale: %d of %d gateways forked from a warm interpreter%n", forked(gateways), gateways.size());
            t1b = System.nanoTime();
            Map<String, ExitOutcome> outcomes = group.terminate(Duration.ofSeconds(10));
            t2 = System.nanoTime();
            GroupWorkload.reportUnclean("ssh scale", outcomes);
            r.put(GatewayMetric.SSH_SCALE_PEAK_RSS, rss.peakMb());
        }
        double host1 = ProcStat.cpu("self")[0];
        awaitNoConnections(servers);
        r.put(GatewayMetric.SSH_SCALE_TOTAL, (t1 - t0 + t2 - t1b) / 1e9);
        r.put(GatewayMetric.SSH_SCALE_START, (t1 - t0) / 1e9);
        r.put(GatewayMetric.SSH_SCALE_TERMINATE, (t2 - t1b) / 1e9);
        r.put(GatewayMetric.SSH_SCALE_CPU_HOST, host1 - host0);
        r.put(GatewayMetric.SSH_SCALE_CPU_REMOTE, (remoteCpu(servers) - remote0) / specs.size());
        return r;
    }

    /** How many of the gateways run in a process whose parent is a Python (a warm interpreter), not sshd's shell (untimed). */
    private static long forked(List<Gateway> gateways) {
        return gateways.stream().filter(gw -> String.valueOf(gw.remoteExec(
                "import os; channel.send(open('/proc/%d/comm' % os.getppid()).read())").receive(Duration.ofSeconds(60)))
                .startsWith("python")).count();
    }

    /** The CPU the servers' finished connections used (children of the listeners, once reaped). */
    static double remoteCpu(List<OpenSshServer> servers) {
        return servers.stream().mapToDouble(s -> ProcStat.cpu(String.valueOf(s.pid()))[1]).sum();
    }

    /** Waits (untimed, up to 10 s) until every connection's sshd process has ended, so its CPU is counted. */
    static void awaitNoConnections(List<OpenSshServer> servers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (servers.stream().anyMatch(s -> s.connections() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
