package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.execnet4j.api.Connection;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Spec;
import org.execnet4j.api.Transport;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.internal.ConfiguredGroup;
import org.execnet4j.group.internal.GatewayGroup;
import org.execnet4j.group.internal.RegistryTransports;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.Test;

/** The reconciliation behind configured groups and the registry-backed transport lookup, without OSGi. */
class ConfiguredGroupTest {
    private static final String A = GroupTest.POPEN + "//id=a";
    private static final String B = GroupTest.POPEN + "//id=b";
    private static final Duration EXIT = Duration.ofSeconds(5);

    private static ConfiguredGroup group(List<String> specs, boolean lazy) {
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(ConfiguredGroupTest.class.getClassLoader()),
                EngineSettings.DEFAULTS);
        return new ConfiguredGroup("test", launcher, GroupTest.POPEN, specs, lazy, EXIT);
    }

    @Test
    void reconcilingKeepsStartsAndRestartsByExactSpec() {
        ConfiguredGroup group = group(List.of(A), false);
        try {
            group.reconcile();
            Gateway a = group.get("a").orElseThrow();

            group.configure(List.of(A, B, GroupTest.POPEN, GroupTest.POPEN), GroupTest.POPEN, false, EXIT);
            group.reconcile();
            assertEquals(4, group.size(), "two unnamed gateways with the same spec are two gateways");
            assertSame(a, group.get("a").orElseThrow(), "an unchanged spec keeps its gateway");
            Gateway b = group.get("b").orElseThrow();

            group.configure(List.of(A + "//env:MODE=x", B), GroupTest.POPEN, false, EXIT);
            group.reconcile();
            assertEquals(2, group.size());
            assertNotSame(a, group.get("a").orElseThrow(), "a changed spec restarts the gateway");
            assertFalse(a.isAlive());
            assertSame(b, group.get("b").orElseThrow());
            assertEquals("x", group.get("a").orElseThrow()
                    .remoteExec("import os; channel.send(os.environ['MODE'])").receive(GroupTest.TIMEOUT));

            assertEquals(Map.of(), group.down());
            assertEquals(Map.of(), group.restarting());
            b.exit(EXIT);
            assertEquals(Map.of(B, "not running (it ended or was terminated)"), group.down(), "down until reconciled");
            group.reconcile();
            assertEquals(Map.of(), group.down());
            assertTrue(group.get("b").orElseThrow().isAlive(), "a dead gateway is started again");
        } finally {
            group.shutdown();
        }
        assertEquals(0, group.size());
        group.reconcile();
        assertEquals(0, group.size(), "after shutdown nothing starts again");
    }

    @Test
    void aLazyGroupStartsOnFirstUse() {
        ConfiguredGroup group = group(List.of(A), true);
        try {
            group.reconcile();
            assertFalse(group.isStarted(), "nothing started before first use");
            assertTrue(group.isWaitingForFirstUse());
            assertEquals(Map.of(), group.down(), "nothing is down before first use");
            assertEquals(List.of(42), group.remoteExec("channel.send(6 * 7)").receiveEach(GroupTest.TIMEOUT));
            assertEquals(1, group.size());
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aSpecWhoseTransportIsMissingWaitsUntriedAndKeepsItsIdWhenTheTransportComes() {
        java.util.concurrent.atomic.AtomicBoolean present = new java.util.concurrent.atomic.AtomicBoolean();
        ConfiguredGroup group = new ConfiguredGroup(new GatewayGroup("test", new GatewayLauncher(
                TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.DEFAULTS), GroupTest.POPEN),
                type -> present.get(), List.of(GroupTest.POPEN), false, EXIT);
        try {
            group.reconcile();
            assertEquals(0, group.size());
            assertEquals(Map.of(GroupTest.POPEN, "waiting for a transport for 'popen'"), group.failures());
            assertEquals(group.failures(), group.restarting(), "waiting for the transport is restarting, not down");
            assertEquals(Map.of(), group.down());

            present.set(true);
            group.retryFailed();
            assertEquals(Map.of(), group.failures());
            assertEquals(List.of("gw0"), group.gateways().stream().map(Gateway::id).toList(),
                    "no failed start used up an id");
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aTransportThatGoesAwayTakesItsGatewaysAndTheyComeBackWithIt() {
        java.util.concurrent.atomic.AtomicBoolean present = new java.util.concurrent.atomic.AtomicBoolean(true);
        ConfiguredGroup group = new ConfiguredGroup(new GatewayGroup("test", new GatewayLauncher(
                TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.DEFAULTS), GroupTest.POPEN),
                type -> present.get(), List.of(A), false, EXIT);
        try {
            group.reconcile();
            Gateway a = group.get("a").orElseThrow();
            long pid = a.remoteInfo(GroupTest.TIMEOUT).pid();

            present.set(false);
            group.transportGone("ssh");
            assertSame(a, group.get("a").orElseThrow(), "another type's gateways stay");
            group.transportGone("popen");
            assertFalse(a.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "its process ended");
            assertEquals(0, group.size());
            assertTrue(group.failures().get(A).startsWith("waiting"), group.failures().toString());

            present.set(true);
            group.retryFailed();
            assertTrue(group.get("a").orElseThrow().isAlive());
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aSpecThatCannotStartIsReportedAndRetried() {
        ConfiguredGroup group = group(List.of("socket=127.0.0.1:1//id=s"), false);
        try {
            group.reconcile();
            assertEquals(0, group.size());
            assertTrue(group.failures().containsKey("socket=127.0.0.1:1//id=s"), group.failures().toString());
            assertEquals(Map.of("socket=127.0.0.1:1//id=s", "did not start: " + group.failures().get("socket=127.0.0.1:1//id=s")),
                    group.down());
            assertEquals(Map.of(), group.restarting());
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aGatewayStartingWhileItsGroupTerminatesDoesNotOutliveIt() throws Exception {
        Transport popen = TransportLocator.serviceLoader(getClass().getClassLoader()).find("popen").orElseThrow();
        List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transport slow = new Transport() {
            @Override
            public String type() {
                return "popen";
            }

            @Override
            public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
                Connection connection = popen.open(spec, pythonArgs);
                connection.pid().ifPresent(pids::add);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return connection;
            }
        };
        GatewayGroup group = new GatewayGroup("race", new GatewayLauncher(type -> Optional.of(slow), EngineSettings.DEFAULTS),
                GroupTest.POPEN);
        java.util.concurrent.CompletableFuture<Gateway> starting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> group.makeGateway(GroupTest.POPEN));
        Await.await("the slow transport to start the interpreter", () -> !pids.isEmpty());
        group.terminate(EXIT);
        java.util.concurrent.ExecutionException failure =
                org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, starting::get);
        assertTrue(failure.getCause() instanceof GatewayClosedException, failure.toString());
        assertEquals(0, group.size());
        // the kill is a signal: the process goes within moments, never later
        Await.await("the late gateway's process to end", () -> !PythonProcesses.isRunning(pids.get(0)), Duration.ofSeconds(5));
    }

    @Test
    void theHighestRankedTransportOfATypeWins() {
        RegistryTransports transports = new RegistryTransports();
        Transport low = new NamedTransport("popen");
        Transport high = new NamedTransport("popen");
        transports.add(low, Map.of("execnet.transport", "popen"));
        transports.add(high, Map.of("execnet.transport", "popen", "service.ranking", 10));
        transports.add(new NamedTransport("ssh"), Map.of());
        assertSame(high, transports.find("popen").orElseThrow());
        assertEquals(List.of("popen", "ssh"), List.copyOf(transports.types()));
        transports.remove(high);
        assertSame(low, transports.find("popen").orElseThrow());
        assertEquals(Optional.empty(), transports.find("socket"));
    }

    private record NamedTransport(String type) implements Transport {
        @Override
        public Connection open(Spec spec, List<String> pythonArgs) throws IOException {
            throw new IOException("not for starting");
        }
    }
}
