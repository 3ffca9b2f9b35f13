package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * exit(timeout) is bounded by its timeout on every path: a remote that does not read (here
 * SIGSTOPped) while another thread is in the middle of a large frame is killed at the deadline,
 * which also fails the stuck sender, and nothing is left running.
 */
class ExitBoundTest {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(1);
    /** The bound: terminate(1 s) returns within 3 s. */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(3);

    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void exitOfAStoppedRemoteWithAnUnfinishedSendReturnsInTimeAndLeavesNothing() throws Exception {
        Gateway gw = gateways.popen();
        long pid = gw.remoteInfo(TIMEOUT).pid();
        Channel ch = gw.remoteExec("import time; time.sleep(1e6)");
        LocalProcesses.signal("STOP", pid);
        try {
            CompletableFuture<Throwable> send = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    ch.send(new byte[8 * 1024 * 1024]);
                    send.complete(null);
                } catch (Throwable t) {
                    send.complete(t);
                }
            }, "test-sender");
            sender.start();
            awaitBlockedInWrite(sender, send);

            long start = System.nanoTime();
            ExitOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> gw.exit(EXIT_TIMEOUT));
            long took = System.nanoTime() - start;

            assertTrue(took < EXIT_BOUND.toNanos(), "exit(1 s) took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
            assertEquals(ExitOutcome.KILLED, outcome);
            assertInstanceOf(GatewayClosedException.class, send.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
                    "the stuck sender fails once the remote is killed");
            assertTrue(LocalProcesses.gone(pid, Duration.ofSeconds(5)), "the remote is gone");
        } finally {
            if (PythonProcesses.isRunning(pid)) {
                LocalProcesses.signal("KILL", pid);
            }
        }
    }

    /**
     * Waits until the thread is blocked writing to the pipe or socket (it is full), holding the
     * frame writer: its innermost frame is a native write.
     */
    private static void awaitBlockedInWrite(Thread sender, CompletableFuture<Throwable> send) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Arrays.stream(sender.getStackTrace()).limit(1).noneMatch(
                f -> f.isNativeMethod() && f.getMethodName().startsWith("write"))) {
            assertTrue(System.nanoTime() < deadline, "the sender never blocked in a write");
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertTrue(sender.isAlive(), () -> "the 8 MB send is still in progress, but it "
                + (send.getNow(null) == null ? "completed" : "failed: " + send.getNow(null)));
    }
}
