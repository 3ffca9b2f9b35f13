package org.execnet4j.inventory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.felix.inventory.Format;
import org.execnet4j.api.Group;
import org.execnet4j.api.ServiceProperties;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.group.internal.ConfiguredGroup;
import org.junit.jupiter.api.Test;

/** The printer lists each group service, its problems and its real gateways, and leaves lazy groups unstarted. */
class GroupsPrinterTest {
    private static final String POPEN = "popen//python=" + System.getProperty("execnet4j.python", "python3");

    @Test
    void printsEveryGroupWithItsGatewaysAndProblems() {
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.DEFAULTS);
        ConfiguredGroup lazy = new ConfiguredGroup("later", launcher, POPEN, List.of(POPEN), true, Duration.ofSeconds(5));
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(launcher)) {
            Group workers = factory.newGroup("workers");
            workers.makeGateway(POPEN + "//id=w1");
            workers.makeGateway(POPEN + "//id=w2").exit();
            GroupsPrinter printer = new GroupsPrinter();
            printer.addGroup(workers, Map.of(ServiceProperties.GROUP_NAME, "workers", ServiceProperties.GROUP_START, "eager",
                    ServiceProperties.GROUP_SPECS, new String[] {POPEN + "//id=w1", "ssh=nowhere"},
                    ServiceProperties.GROUP_FAILURES, new String[] {"ssh=nowhere: no route"}));
            printer.addGroup(lazy, Map.of(ServiceProperties.GROUP_NAME, "later", ServiceProperties.GROUP_START, "lazy",
                    ServiceProperties.GROUP_SPECS, POPEN, ServiceProperties.GROUP_ERROR, "start: bad"));

            StringWriter text = new StringWriter();
            printer.print(new PrintWriter(text), Format.TEXT, false);
            assertEquals(String.join("\n", "execnet4j groups: 2", "",
                    "group later (lazy)", "  specs: " + POPEN, "  configuration error: start: bad", "  gateways: none until first use", "",
                    "group workers (eager)", "  specs: " + POPEN + "//id=w1, ssh=nowhere", "  did not start: ssh=nowhere: no route",
                    "  gateway w1: " + POPEN + "//id=w1 (alive)", ""), text.toString().replace(System.lineSeparator(), "\n"));
            assertFalse(lazy.isStarted(), "printing did not start the lazy group");
        } finally {
            lazy.shutdown();
        }
    }
}
