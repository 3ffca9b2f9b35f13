package org.execnet4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PyTuple;

/**
 * The channel soak of issue 9 ("Proof at scale"), run by {@code benchmarks/run.sh soak} at
 * {@code -Xmx256m}: 1000 concurrent channels on one gateway; 2 GiB through one channel each way
 * with a slow reader (flow control keeps the heap flat); 32 host threads doing 1000 echo
 * roundtrips each. Every wait is bounded and the whole run has a deadline; it prints figures and
 * exits non-zero when anything was lost, misrouted or late.
 * Properties: {@code execnet4j.soak.channels} (1000), {@code execnet4j.soak.rounds} (20),
 * {@code execnet4j.soak.mib} (2048), {@code execnet4j.soak.threads} (32),
 * {@code execnet4j.soak.roundtrips} (1000), {@code execnet4j.soak.minutes} (20).
 */
public final class ChannelSoak {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int MIB = 1 << 20;

    static final String FAN_OUT_SRC = """
            n = channel.receive()
            chans = [channel.receive() for _ in range(n)]
            for c in chans:
                c.setcallback(lambda x, c=c: c.send(x))
            channel.send('ready')
            channel.receive()
            """;
    static final String STREAM_OUT_SRC = """
            total = channel.receive()
            blob = bytes(range(256)) * 4096
            for i in range(total):
                channel.send(blob)
            """;
    static final String STREAM_IN_SRC = """
            import time
            total = 0
            count = 0
            item = channel.receive()
            while item is not None:
                total += len(item)
                count += 1
                if count % 4 == 0:
                    time.sleep(0.004)
                item = channel.receive()
            channel.send(total)
            """;
    static final String ECHO_SRC = "for x in channel:\n    channel.send(x)\n";

    private ChannelSoak() {
    }

    /**
     * Runs the soak.
     *
     * @param args optional: the remote Python (default python3)
     * @throws Exception when a scenario fails
     */
    public static void main(String[] args) throws Exception {
        String python = args.length > 0 ? args[0] : "python3";
        int minutes = Integer.getInteger("execnet4j.soak.minutes", 20);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(minutes));
                System.out.println("FAILED: the soak exceeded its deadline of " + minutes + " min");
                System.exit(2);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "soak-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        SoakFigures before = SoakFigures.now();
        System.out.printf("channel soak, remote %s, max heap %d MiB%nbefore: %s%n", python, SoakFigures.heapMaxMib(), before);
        boolean ok;
        try (Group group = Execnet.newGroup()) {
            Gateway gw = group.makeGateway("popen//python=" + python);
            ok = fanOut(gw, Integer.getInteger("execnet4j.soak.channels", 1000), Integer.getInteger("execnet4j.soak.rounds", 20));
            int mib = Integer.getInteger("execnet4j.soak.mib", 2048);
            ok &= streamToHost(gw, mib);
            ok &= streamToRemote(gw, mib);
            ok &= echoThreads(gw, Integer.getInteger("execnet4j.soak.threads", 32), Integer.getInteger("execnet4j.soak.roundtrips", 1000));
        }
        SoakFigures after = SoakFigures.now();
        System.out.printf("after terminate: %s%n", after);
        ok &= after.processes() <= before.processes();
        watchdog.interrupt();
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }

    /** {@code n} channels at once, each echoing through its own remote callback, {@code rounds} items each. */
    private static boolean fanOut(Gateway gw, int n, int rounds) {
        SoakFigures.resetHeapPeak();
        long start = System.nanoTime();
        Channel control = gw.remoteExec(FAN_OUT_SRC);
        List<Channel> channels = new ArrayList<>(n);
        control.send(n);
        for (int i = 0; i < n; i++) {
            Channel c = gw.newChannel();
            channels.add(c);
            control.send(c);
        }
        check("ready".equals(control.receive(WAIT)), "the remote set up " + n + " callbacks");
        String live = gw.toString();
        long wrong = 0;
        for (int r = 0; r < rounds; r++) {
            for (Channel c : channels) {
                c.send(PyTuple.of(c.id(), r));
            }
            for (Channel c : channels) {
                if (!PyTuple.of(c.id(), r).equals(c.receive(WAIT))) {
                    wrong++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        channels.forEach(Channel::close);
        control.send("stop");
        control.waitClose(WAIT);
        System.out.printf("%d concurrent channels (%s): %d roundtrips in %.1f s (%.0f/s), %d wrong, heap peak %d MiB, %s%n",
                n, live, (long) n * rounds, seconds, n * rounds / seconds, wrong, SoakFigures.heapPeakMib(), SoakFigures.now());
        return wrong == 0;
    }

    /** The remote streams {@code mib} MiB into one channel that the host reads slowly. */
    private static boolean streamToHost(Gateway gw, int mib) throws InterruptedException {
        SoakFigures.resetHeapPeak();
        byte[] blob = new byte[MIB];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        long start = System.nanoTime();
        Channel ch = gw.remoteExec(STREAM_OUT_SRC);
        ch.send(mib);
        long items = 0;
        long wrong = 0;
        for (Object item : ch) {
            if (!Arrays.equals(blob, (byte[]) item)) {
                wrong++;
            }
            if (++items % 4 == 0) {
                Thread.sleep(4);   // a slow reader: without flow control the queue would outgrow the heap
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("remote -> host, slow reader: %d of %d MiB in %.1f s (%.0f MB/s), %d wrong, heap peak %d MiB of %d%n",
                items, mib, seconds, items * MIB / 1e6 / seconds, wrong, SoakFigures.heapPeakMib(), SoakFigures.heapMaxMib());
        return items == mib && wrong == 0;
    }

    /** The host streams {@code mib} MiB into one channel that the remote reads slowly: the host sender waits. */
    private static boolean streamToRemote(Gateway gw, int mib) {
        SoakFigures.resetHeapPeak();
        byte[] blob = new byte[MIB];
        long start = System.nanoTime();
        Channel ch = gw.remoteExec(STREAM_IN_SRC);
        for (int i = 0; i < mib; i++) {
            ch.send(blob, WAIT);
        }
        ch.send(null);
        long got = ((Number) ch.receive(WAIT)).longValue();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("host -> remote, slow reader: %d of %d MiB in %.1f s (%.0f MB/s), heap peak %d MiB of %d%n",
                got / MIB, mib, seconds, got / 1e6 / seconds, SoakFigures.heapPeakMib(), SoakFigures.heapMaxMib());
        return got == (long) mib * MIB;
    }

    /** {@code threads} host threads, each with its own echo channel, {@code roundtrips} roundtrips each. */
    private static boolean echoThreads(Gateway gw, int threads, int roundtrips) throws Exception {
        SoakFigures.resetHeapPeak();
        AtomicLong wrong = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Channel ch = gw.remoteExec(ECHO_SRC);
                    for (int i = 0; i < roundtrips; i++) {
                        PyTuple item = PyTuple.of(thread, i, "payload-" + thread + "-" + i);
                        ch.send(item);
                        if (!item.equals(ch.receive(WAIT))) {
                            wrong.incrementAndGet();
                        }
                    }
                    ch.close();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT.toSeconds() * 5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = (long) threads * roundtrips;
        System.out.printf("%d threads x %d echo roundtrips: %d in %.1f s (%.0f/s), %d lost or misrouted, heap peak %d MiB%n",
                threads, roundtrips, total, seconds, total / seconds, wrong.get(), SoakFigures.heapPeakMib());
        return wrong.get() == 0;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("soak failed: " + what);
        }
    }
}
