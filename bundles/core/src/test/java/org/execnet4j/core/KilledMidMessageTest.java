package org.execnet4j.core;

import static org.execnet4j.core.Gateways.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.execnet4j.api.Channel;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A remote SIGKILLed while the host reads a large message from it wakes every waiter with an exception naming the gateway. */
class KilledMidMessageTest {
    @RegisterExtension
    final Gateways gateways = new Gateways();

    @Test
    void everyWaiterWakesWithGatewayClosedNamingTheGateway() throws Exception {
        Gateway gw = gateways.popen();
        long pid = gw.remoteInfo(TIMEOUT).pid();
        Executor daemons = task -> {
            Thread t = new Thread(task, "test-waiter");
            t.setDaemon(true);
            t.start();
        };
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Channel idle = gw.remoteExec("channel.receive()");
            waiters.add(CompletableFuture.runAsync(idle::receive, daemons));
        }
        Channel stream = gw.remoteExec("""
                item = b'x' * (8 * 1024 * 1024)
                while True:
                    channel.send(item)
                """);
        waiters.add(CompletableFuture.runAsync(() -> {
            while (true) {
                stream.receive();
            }
        }, daemons));
        Thread receiver = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("execnet4j-" + gw.id() + "-receiver")).findFirst().orElseThrow();
        Await.await("the receiver to read a payload", () -> Arrays.stream(receiver.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("readPayload")));
        LocalProcesses.signal("KILL", pid);
        for (CompletableFuture<Void> waiter : waiters) {
            ExecutionException woke = assertThrows(ExecutionException.class, () -> waiter.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(GatewayClosedException.class, woke.getCause());
            assertTrue(woke.getCause().getMessage().startsWith("gateway " + gw.id() + " "), woke.getCause().getMessage());
        }
    }
}
