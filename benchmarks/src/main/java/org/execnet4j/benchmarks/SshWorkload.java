package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Spec;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.PendingLaunch;
import org.execnet4j.core.WarmPool;
import org.execnet4j.transport.ssh.SshTransport;
import org.execnet4j.transport.ssh.SshTransportOptions;

/**
 * One round of the ssh gateway-ready workload through execnet4j, mirroring {@code ssh_ready} in
 * python/execnet_gateway_bench.py: a fresh {@link SshTransport} (so the first gateway opens a new ssh connection),
 * the first gateway ready (launch + {@code remote_exec("channel.send(1)")} + receive), the second gateway to the
 * same host ready while the first is open (it shares the first one's connection; with the warm start on, it waits
 * for the host's warm interpreter, which started together with the first one), the third one likewise (with
 * the warm start on, forked from the warm interpreter that is ready by then), then all three exit.
 */
final class SshWorkload {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private SshWorkload() {
    }

    /**
     * Runs one round.
     *
     * @param connections set to the number of ssh connections the transport held with the gateways open
     */
    static Map<GatewayMetric, Double> runRound(SshTransportOptions options, String spec, int[] connections) {
        Spec parsed = Spec.parse(spec);
        Map<GatewayMetric, Double> r = new EnumMap<>(GatewayMetric.class);
        try (SshTransport transport = new SshTransport(options)) {
            GatewayLauncher launcher = new GatewayLauncher(type -> Optional.of(transport), EngineSettings.DEFAULTS);
            WarmPool pool = launcher.newWarmPool();     // as a group has
            long t0 = System.nanoTime();
            Gateway first = launch(launcher, pool, parsed, "gw0");
            Channel ch1 = ready(first);
            long t1 = System.nanoTime();
            Gateway second = launch(launcher, pool, parsed, "gw1");
            Channel ch2 = ready(second);
            long t2 = System.nanoTime();
            Gateway third = launch(launcher, pool, parsed, "gw2");
            Channel ch3 = ready(third);
            long t2b = System.nanoTime();
            connections[0] = transport.openConnections();
            ch1.waitClose(TIMEOUT);
            ch2.waitClose(TIMEOUT);
            ch3.waitClose(TIMEOUT);
            long t3 = System.nanoTime();
            first.exit(TIMEOUT);
            second.exit(TIMEOUT);
            third.exit(TIMEOUT);
            long t4 = System.nanoTime();
            pool.close();   // ends its warm interpreters
            launcher.abortCompiles();
            r.put(GatewayMetric.SSH_FIRST, (t1 - t0) / 1e9);
            r.put(GatewayMetric.SSH_SECOND, (t2 - t1) / 1e9);
            r.put(GatewayMetric.SSH_THIRD, (t2b - t2) / 1e9);
            r.put(GatewayMetric.SSH_EXIT, (t4 - t3) / 1e9);
        }
        return r;
    }

    private static Gateway launch(GatewayLauncher launcher, WarmPool pool, Spec spec, String id) {
        return launcher.launch(spec, id, launcher.transportFor(spec, id), launcher.settings(), new PendingLaunch(), pool);
    }

    private static Channel ready(Gateway gw) {
        Channel ch = gw.remoteExec(GatewayWorkloads.READY_SRC);
        Object got = ch.receive(TIMEOUT);
        if (!Integer.valueOf(1).equals(got) && !Long.valueOf(1).equals(got)) {
            throw new IllegalStateException("expected 1 from " + gw.id() + ", got " + got);
        }
        return ch;
    }
}
