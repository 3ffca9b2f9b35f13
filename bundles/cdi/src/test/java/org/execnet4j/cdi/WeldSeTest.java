package org.execnet4j.cdi;

import static org.execnet4j.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayFactory;
import org.execnet4j.api.Group;
import org.execnet4j.cdi.internal.ExecnetExtension;
import org.execnet4j.testing.PythonProcesses;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extension in a real Weld SE container: found through META-INF/services (the tests never add
 * it), configured from the test's META-INF/execnet4j.properties and system properties.
 */
class WeldSeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @BeforeEach
    @AfterEach
    void clean() {
        System.clearProperty("execnet4j.group.workers.start");
        System.clearProperty("execnet4j.group.broken.specs");
        System.clearProperty("execnet4j.group.broken.terminate.timeout");
        System.clearProperty("execnet4j.group.broken.retries");
        System.clearProperty("execnet4j.group.eager.specs");
        GatewayEvents.SEEN.clear();
        await("no python process of an earlier test", () -> PythonProcesses.ofThisJvm().isEmpty());
    }

    /**
     * A container of the given beans plus the extensions META-INF/services names (what Weld SE
     * itself loads only when it scans the class path for bean archives).
     */
    private static WeldContainer boot(Class<?>... beans) {
        Weld weld = new Weld().disableDiscovery().addBeanClasses(beans);
        List<Extension> ours = ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::get)
                .filter(ExecnetExtension.class::isInstance).toList();
        assertEquals(1, ours.size(), "META-INF/services names the extension once");
        ours.forEach(weld::addExtension);
        return weld.initialize();
    }

    @Test
    void injectsTheFactoryAndConfiguredGroupsAndShutdownEndsEveryProcess() {
        try (WeldContainer container = boot(Worker.class, GatewayEvents.class)) {
            await("the eager group's gateway started at boot", () -> GatewayEvents.SEEN.contains("started eager/e1"));
            assertEquals(List.of("started eager/e1"), GatewayEvents.SEEN, "only the eager group runs before first use");

            Worker worker = container.select(Worker.class).get();
            assertEquals(List.of(42, 42), worker.workers().remoteExec("channel.send(6 * 7)").receiveEach(TIMEOUT),
                    "the lazy group started its two gateways on first use");
            assertEquals(Set.of("w1", "w2"), Set.copyOf(worker.workers().gateways().stream().map(Gateway::id).toList()));
            Group again = container.select(Group.class, ExecnetGroup.Literal.of("workers")).get();
            assertEquals(worker.workers().get("w1").orElseThrow(), again.get("w1").orElseThrow(), "one group per name");
            assertEquals(container.select(GatewayFactory.class).get().toString(), worker.factory().toString(),
                    "one factory per application");

            Group mine = worker.factory().newGroup("mine");
            Gateway own = mine.makeGateway("popen//id=own");
            assertEquals("mine", own.remoteExec("channel.send('mine')").receive(TIMEOUT));
            List<Long> running = List.of(pid(worker.workers().get("w1").orElseThrow()), pid(worker.workers().get("w2").orElseThrow()),
                    pid(own));
            assertTrue(PythonProcesses.ofThisJvm().containsAll(running), "each gateway is a process of its own");
            await("started events of every gateway", () -> GatewayEvents.SEEN.containsAll(
                    List.of("started workers/w1", "started workers/w2", "started mine/own")));

            own.exit(TIMEOUT);
            await("the exited gateway's ended event", () -> GatewayEvents.SEEN.contains("ended mine/own"));
            assertTrue(GatewayEvents.SEEN.indexOf("started mine/own") < GatewayEvents.SEEN.indexOf("ended mine/own"));
            Gateway own2 = mine.makeGateway("popen//id=own2");
            assertFalse(PythonProcesses.isRunning(running.get(2)), "the exited gateway's process ended");
            assertTrue(PythonProcesses.isRunning(pid(own2)));
        }
        assertEquals(List.of(), PythonProcesses.ofThisJvm(), "container shutdown left python processes");
        assertTrue(GatewayEvents.SEEN.containsAll(List.of("ended eager/e1", "ended workers/w1", "ended workers/w2",
                "ended mine/own2")), "every gateway's end was observed before the beans went: " + GatewayEvents.SEEN);
    }

    private static long pid(Gateway gateway) {
        return gateway.remoteInfo(TIMEOUT).pid();
    }

    @Test
    void aGatewayKilledFromOutsideIsReportedEnded() throws Exception {
        try (WeldContainer container = boot(Worker.class, GatewayEvents.class)) {
            await("the eager gateway", () -> GatewayEvents.SEEN.contains("started eager/e1"));
            long pid = pid(container.select(Group.class, ExecnetGroup.Literal.of("eager")).get().get("e1").orElseThrow());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await("the killed gateway's ended event", () -> GatewayEvents.SEEN.contains("ended eager/e1"));
        }
        assertEquals(List.of(), PythonProcesses.ofThisJvm());
    }

    @Test
    void aLazyGroupConfiguredEagerBySystemPropertyStartsAtBoot() {
        System.setProperty("execnet4j.group.workers.start", "eager");
        try (WeldContainer container = boot(Worker.class, GatewayEvents.class)) {
            await("three gateways at boot", () -> GatewayEvents.SEEN.containsAll(
                    List.of("started eager/e1", "started workers/w1", "started workers/w2")));
        }
        assertEquals(List.of(), PythonProcesses.ofThisJvm());
    }

    @Test
    void aBrokenConfigurationFailsTheBootNamingEveryBadKey() {
        System.setProperty("execnet4j.group.workers.start", "sometimes");
        System.setProperty("execnet4j.group.broken.specs", "popen");
        System.setProperty("execnet4j.group.broken.terminate.timeout", "abc");
        System.setProperty("execnet4j.group.broken.retries", "3");
        DefinitionException e = assertThrows(DefinitionException.class,
                () -> boot(Worker.class, MissingGroupUser.class).close());
        String message = e.getMessage();
        assertTrue(message.contains("execnet4j.group.workers.start = sometimes: must be eager or lazy"), message);
        assertTrue(message.contains("execnet4j.group.broken.terminate.timeout = abc: not a number of seconds"), message);
        assertTrue(message.contains("execnet4j.group.broken.retries = 3: unknown key"), message);
        assertTrue(message.contains("execnet4j.group.nosuch.specs: missing"), message);
        assertTrue(message.contains("needed by @ExecnetGroup(\"nosuch\") at"), message);
        assertTrue(message.contains("MissingGroupUser"), message);
        assertEquals(List.of(), PythonProcesses.ofThisJvm(), "a failed boot starts nothing");
    }

    @Test
    void anEagerGatewayThatCannotStartFailsTheBootAndLeavesNothingRunning() {
        System.setProperty("execnet4j.group.workers.start", "eager");
        System.setProperty("execnet4j.group.eager.specs", "popen//id=bad//python=/nonexistent/python3");
        DeploymentException e = assertThrows(DeploymentException.class, () -> boot(Worker.class).close());
        assertTrue(e.getMessage().contains("popen//id=bad//python=/nonexistent/python3 did not start"), e.getMessage());
        assertEquals(List.of(), PythonProcesses.ofThisJvm(), "the eager group that did start was ended");
    }

    @Test
    void aSecondContainerGetsItsOwnGroups() throws Exception {
        Object first;
        try (WeldContainer container = boot(Worker.class)) {
            first = pidOf(container.select(Worker.class).get().eager().get("e1").orElseThrow());
        }
        try (WeldContainer container = boot(Worker.class)) {
            Object second = pidOf(container.select(Worker.class).get().eager().get("e1").orElseThrow());
            assertNotEquals(first, second, "a new interpreter for the new container");
        }
        assertEquals(List.of(), PythonProcesses.ofThisJvm());
    }

    private static Object pidOf(Gateway gateway) {
        return gateway.remoteExec("import os; channel.send(os.getpid())").receive(TIMEOUT);
    }
}
