package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;

/** One round of the end-to-end gateway workloads through execnet4j, mirroring python/execnet_gateway_bench.py. */
final class GatewayWorkloads {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int MIB = 1 << 20;

    // --- remote sources: keep identical to python/execnet_gateway_bench.py ---
    static final String READY_SRC = "channel.send(1)";
    static final String ECHO_SRC = "for x in channel:\n    channel.send(x)\n";
    static final String COUNT_SRC = "n = channel.receive()\n"
            + "channel.send('ready')\n"
            + "c = 0\n"
            + "for i in range(n):\n"
            + "    channel.receive()\n"
            + "    c += 1\n"
            + "channel.send(c)\n";
    static final String PRODUCE_SRC = "n = channel.receive()\n"
            + "items = [i if i % 2 == 0 else 'item-%d' % i for i in range(n)]\n"
            + "channel.send('ready')\n"
            + "channel.receive()\n"
            + "for x in items:\n"
            + "    channel.send(x)\n";
    static final String BULK_SINK_SRC = "n = channel.receive()\n"
            + "channel.send('ready')\n"
            + "total = 0\n"
            + "for i in range(n):\n"
            + "    total += len(channel.receive())\n"
            + "channel.send(total)\n";
    static final String BULK_SOURCE_SRC = "n = channel.receive()\n"
            + "blob = bytes(range(256)) * 4096\n"
            + "channel.send('ready')\n"
            + "channel.receive()\n"
            + "for i in range(n):\n"
            + "    channel.send(blob)\n";
    static final String ONE_ECHO_SRC = "channel.send(channel.receive())";

    private GatewayWorkloads() {
    }

    /** Runs all workloads once and returns the figures (seconds, msg/s, MB/s with MB = 10^6 bytes). */
    static Map<GatewayMetric, Double> runRound(GatewayParams p) {
        Map<GatewayMetric, Double> r = new EnumMap<>(GatewayMetric.class);
        r.put(GatewayMetric.READY, gatewayReady(p.spec(), p.readyReps()));
        r.put(GatewayMetric.READY_LATER, gatewayReadyLater(p.spec(), p.readyReps()));
        r.putAll(GroupWorkload.run(p.spec(), p.groupSize(), p.groupTimeout()));
        try (Group group = Execnet.newGroup()) {
            Gateway gw = group.makeGateway(p.spec());
            double[] echo = echo(gw, p.echo());
            r.put(GatewayMetric.ECHO_MEDIAN, echo[0]);
            r.put(GatewayMetric.ECHO_MEAN, echo[1]);
            r.put(GatewayMetric.SMALL_H2R, hostToRemote(gw, p.small()));
            r.put(GatewayMetric.SMALL_R2H, remoteToHost(gw, p.small()));
            r.put(GatewayMetric.BULK_H2R, bulkToRemote(gw, p.bulk()));
            r.put(GatewayMetric.BULK_R2H, bulkToHost(gw, p.bulk()));
            r.put(GatewayMetric.CHANNELS, manyChannels(gw, p.channels()));
        }
        return r;
    }

    static double gatewayReady(String spec, int reps) {
        return gatewayReady(spec, reps, 0);
    }

    /** As {@link #gatewayReady(String, int)}, sleeping {@code idleMillis} before each gateway (not timed). */
    static double gatewayReady(String spec, int reps, long idleMillis) {
        double[] times = new double[reps];
        for (int i = 0; i < reps; i++) {
            idle(idleMillis);
            try (Group group = Execnet.newGroup()) {
                long t0 = System.nanoTime();
                Gateway gw = group.makeGateway(spec);
                Channel ch = gw.remoteExec(READY_SRC);
                ch.receive(TIMEOUT);
                times[i] = (System.nanoTime() - t0) / 1e9;
                ch.waitClose(TIMEOUT);
            }
        }
        return median(times);
    }

    /**
     * In one group, the first gateway ready (not timed), then {@code reps} later gateways of the same spec, each
     * timed until its first remote_exec answered (they stay open until the group ends); the median.
     */
    static double gatewayReadyLater(String spec, int reps) {
        double[] times = new double[reps];
        try (Group group = Execnet.newGroup()) {
            group.makeGateway(spec).remoteExec(READY_SRC).receive(TIMEOUT);
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                Channel ch = group.makeGateway(spec).remoteExec(READY_SRC);
                ch.receive(TIMEOUT);
                times[i] = (System.nanoTime() - t0) / 1e9;
                ch.waitClose(TIMEOUT);
            }
        }
        return median(times);
    }

    private static void idle(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static double[] echo(Gateway gw, int n) {
        Channel ch = gw.remoteExec(ECHO_SRC);
        for (int i = 0; i < Math.max(100, n / 10); i++) {          // warm-up
            ch.send(i);
            ch.receive(TIMEOUT);
        }
        double[] times = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            ch.send(i);
            ch.receive(TIMEOUT);
            times[i] = (System.nanoTime() - t0) / 1e9;
            sum += times[i];
        }
        ch.close();
        ch.waitClose(TIMEOUT);
        return new double[] {median(times), sum / n};
    }

    private static double hostToRemote(Gateway gw, int n) {
        Object[] items = smallItems(n);
        Channel ch = gw.remoteExec(COUNT_SRC);
        ch.send(n);
        ch.receive(TIMEOUT);
        long t0 = System.nanoTime();
        for (Object x : items) {
            ch.send(x);
        }
        Object count = ch.receive(TIMEOUT);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        check(count, n);
        ch.waitClose(TIMEOUT);
        return n / elapsed;
    }

    private static double remoteToHost(Gateway gw, int n) {
        Channel ch = gw.remoteExec(PRODUCE_SRC);
        ch.send(n);
        ch.receive(TIMEOUT);
        long t0 = System.nanoTime();
        ch.send("go");
        for (int i = 0; i < n; i++) {
            ch.receive(TIMEOUT);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        ch.waitClose(TIMEOUT);
        return n / elapsed;
    }

    private static double bulkToRemote(Gateway gw, int n) {
        byte[] blob = blob();
        Channel ch = gw.remoteExec(BULK_SINK_SRC);
        ch.send(n);
        ch.receive(TIMEOUT);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ch.send(blob);
        }
        Object total = ch.receive(TIMEOUT);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        check(total, (long) n * MIB);
        ch.waitClose(TIMEOUT);
        return (double) n * MIB / 1e6 / elapsed;
    }

    private static double bulkToHost(Gateway gw, int n) {
        Channel ch = gw.remoteExec(BULK_SOURCE_SRC);
        ch.send(n);
        ch.receive(TIMEOUT);
        long t0 = System.nanoTime();
        ch.send("go");
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += ((byte[]) ch.receive(TIMEOUT)).length;
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        check(total, (long) n * MIB);
        ch.waitClose(TIMEOUT);
        return (double) n * MIB / 1e6 / elapsed;
    }

    private static double manyChannels(Gateway gw, int n) {
        long t0 = System.nanoTime();
        List<Channel> channels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            channels.add(gw.remoteExec(ONE_ECHO_SRC));
        }
        for (int i = 0; i < n; i++) {
            channels.get(i).send(i);
        }
        for (int i = 0; i < n; i++) {
            check(channels.get(i).receive(TIMEOUT), i);
        }
        for (Channel ch : channels) {
            ch.waitClose(TIMEOUT);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Even i as Integer, odd i as "item-i": the same mix the remote side produces. */
    private static Object[] smallItems(int n) {
        Object[] items = new Object[n];
        for (int i = 0; i < n; i++) {
            items[i] = i % 2 == 0 ? (Object) i : "item-" + i;
        }
        return items;
    }

    /** 1 MiB: bytes 0..255 repeated, like Python's bytes(range(256)) * 4096. */
    private static byte[] blob() {
        byte[] b = new byte[MIB];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static void check(Object got, long expected) {
        if (!(got instanceof Number) || ((Number) got).longValue() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + got);
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
