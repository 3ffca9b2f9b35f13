package org.execnet4j.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.execnet4j.Execnet;
import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;

/**
 * Soak of the gateway life cycle, bounded in time: (1) many gateway create/terminate cycles,
 * with this JVM's threads, file descriptors and child processes counted before and after; (2)
 * remotes SIGKILLed while the host reads a large message from them, with every waiter of the
 * gateway expected to wake with a {@link GatewayClosedException} naming the gateway. Prints the
 * figures; exits with status 1 when something leaked or a waiter did not wake as expected.
 * Properties: {@code execnet4j.python} (default /usr/bin/python3), {@code execnet4j.soak.cycles}
 * (1000), {@code execnet4j.soak.kills} (20), {@code execnet4j.soak.waiters} (16),
 * {@code execnet4j.soak.minutes} (time bound of each part, 15).
 */
public final class GatewayLifecycleSoak {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(5);
    /** Remote code streaming 8 MiB items until it is killed. */
    private static final String STREAMER = """
            item = b'x' * (8 * 1024 * 1024)
            while True:
                channel.send(item)
            """;

    private GatewayLifecycleSoak() {
    }

    /** Runs both parts and prints their figures. */
    public static void main(String[] args) throws Exception {
        String spec = "popen//python=" + System.getProperty("execnet4j.python", "/usr/bin/python3");
        long bound = TimeUnit.MINUTES.toNanos(Long.getLong("execnet4j.soak.minutes", 15));
        boolean ok = cycles(spec, Integer.getInteger("execnet4j.soak.cycles", 1000), bound);
        ok &= kills(spec, Integer.getInteger("execnet4j.soak.kills", 20), Integer.getInteger("execnet4j.soak.waiters", 16), bound);
        System.out.println(ok ? "gateway lifecycle soak: OK" : "gateway lifecycle soak: FAILED");
        System.exit(ok ? 0 : 1);
    }

    /** Creates, uses and terminates a gateway {@code cycles} times; true when nothing grew. */
    static boolean cycles(String spec, int cycles, long boundNanos) throws Exception {
        System.out.printf("== %d gateway create/terminate cycles (%s)%n", cycles, spec);
        oneCycle(spec); // warm-up: class loading, the agent compiler's first run
        ResourceCount before = ResourceCount.settled(5000);
        System.out.println("before: " + before);
        long start = System.nanoTime();
        int done = 0;
        while (done < cycles && System.nanoTime() - start < boundNanos) {
            oneCycle(spec);
            done++;
            if (done % 100 == 0) {
                System.out.printf("  %4d cycles, %.1f ms per cycle: %s%n", done,
                        (System.nanoTime() - start) / 1e6 / done, ResourceCount.now());
            }
        }
        ResourceCount after = ResourceCount.settled(5000);
        System.out.println("after:  " + after);
        boolean flat = after.gatewayThreads() <= before.gatewayThreads() && after.processes() <= before.processes()
                && after.fds() <= before.fds() + 8 && after.threads() <= before.threads() + 8;
        System.out.printf("%d of %d cycles in %.1f s; %s%n", done, cycles, (System.nanoTime() - start) / 1e9,
                flat ? "threads, fds and processes flat" : "LEAK");
        return flat && done == cycles;
    }

    private static void oneCycle(String spec) {
        Group group = Execnet.newGroup("soak");
        try {
            Channel ch = group.makeGateway(spec).remoteExec("channel.send(channel.receive() + 1)");
            ch.send(41);
            if (!Integer.valueOf(42).equals(ch.receive(TIMEOUT))) {
                throw new IllegalStateException("wrong answer");
            }
        } finally {
            group.terminate(TERMINATE_TIMEOUT);
        }
    }

    /** Kills remotes mid-message {@code rounds} times; true when every waiter woke as expected each time. */
    static boolean kills(String spec, int rounds, int waiters, long boundNanos) throws Exception {
        System.out.printf("== %d remotes SIGKILLed mid-message, %d waiters each%n", rounds, waiters);
        ResourceCount before = ResourceCount.settled(5000);
        long start = System.nanoTime();
        int good = 0;
        int done = 0;
        long worstWake = 0;
        while (done < rounds && System.nanoTime() - start < boundNanos) {
            long wake = killRound(spec, waiters);
            done++;
            if (wake >= 0) {
                good++;
                worstWake = Math.max(worstWake, wake);
            }
        }
        ResourceCount after = ResourceCount.settled(5000);
        System.out.printf("%d of %d rounds: every waiter woke with GatewayClosedException naming the gateway in %d; "
                + "slowest wake-up %.1f ms after the kill%n", good, rounds, done, worstWake / 1e6);
        System.out.println("before: " + before);
        System.out.println("after:  " + after);
        return good == rounds && after.gatewayThreads() <= before.gatewayThreads() && after.processes() <= before.processes();
    }

    /** One gateway, waiters on idle channels and a consumer of a stream; kill while a frame is half read. Nanos to wake all, or -1. */
    private static long killRound(String spec, int waiters) throws Exception {
        Group group = Execnet.newGroup("kill");
        try {
            Gateway gw = group.makeGateway(spec);
            long pid = gw.remoteInfo(TIMEOUT).pid();
            List<CompletableFuture<Throwable>> woken = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                Channel idle = gw.remoteExec("channel.receive()");
                woken.add(waitFor(() -> idle.receive()));
            }
            Channel stream = gw.remoteExec(STREAMER);
            woken.add(waitFor(() -> {
                while (true) {
                    stream.receive();
                }
            }));
            Thread receiver = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("execnet4j-" + gw.id() + "-receiver")).findFirst().orElseThrow();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (Arrays.stream(receiver.getStackTrace()).noneMatch(f -> f.getMethodName().equals("readPayload"))) {
                if (System.nanoTime() > deadline) {
                    System.out.println("  the receiver never read a payload");
                    return -1;
                }
                Thread.onSpinWait();
            }
            kill(pid);
            long killed = System.nanoTime();
            for (CompletableFuture<Throwable> w : woken) {
                Throwable t = w.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (!(t instanceof GatewayClosedException) || !t.getMessage().contains("gateway " + gw.id() + " ")) {
                    System.out.println("  a waiter woke with " + t);
                    return -1;
                }
            }
            return System.nanoTime() - killed;
        } finally {
            group.terminate(TERMINATE_TIMEOUT);
        }
    }

    /** A blocking call run on its own thread; completes with what it threw. */
    private static CompletableFuture<Throwable> waitFor(Blocking call) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        }, "soak-waiter");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** A call that blocks until the gateway ends. */
    @FunctionalInterface
    private interface Blocking {
        void run() throws Exception;
    }

    private static void kill(long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-s", "KILL", Long.toString(pid)).inheritIO().start().waitFor();
    }
}
