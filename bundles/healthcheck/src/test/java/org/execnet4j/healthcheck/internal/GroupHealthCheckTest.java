package org.execnet4j.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.internal.ConfiguredGroup;
import org.execnet4j.group.internal.GatewayGroup;
import org.junit.jupiter.api.Test;

/** The check of a real configured group (real Python gateways) in each of its states. */
class GroupHealthCheckTest {
    private static final String POPEN = "popen//python=" + System.getProperty("execnet4j.python", "python3");
    private static final Duration EXIT = Duration.ofSeconds(5);

    private final AtomicBoolean transportPresent = new AtomicBoolean(true);

    private ConfiguredGroup group(List<String> specs, boolean lazy) {
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.DEFAULTS);
        return new ConfiguredGroup(new GatewayGroup("g", launcher, POPEN), type -> transportPresent.get(), specs, lazy, EXIT);
    }

    @Test
    void okWhileEveryGatewayRunsCriticalWhenOneIsDownWarnWhileItsTransportIsAway() {
        ConfiguredGroup group = group(List.of(POPEN + "//id=a", POPEN + "//id=b"), false);
        try {
            group.reconcile();
            Result ok = new GroupHealthCheck(group, () -> null).execute();
            assertEquals(Result.Status.OK, ok.getStatus(), messages(ok).toString());
            assertEquals(List.of("group g: every configured gateway runs"), messages(ok));

            group.get("b").orElseThrow().exit(EXIT);
            Result down = new GroupHealthCheck(group, () -> null).execute();
            assertEquals(Result.Status.CRITICAL, down.getStatus());
            assertEquals(List.of("group g: " + POPEN + "//id=b: not running (it ended or was terminated)"), messages(down));

            transportPresent.set(false);
            group.transportGone("popen");
            Result waiting = new GroupHealthCheck(group, () -> null).execute();
            assertEquals(Result.Status.WARN, waiting.getStatus(), messages(waiting).toString());
            assertEquals(2, messages(waiting).size());
            assertTrue(messages(waiting).get(0).endsWith("//id=a: waiting for a transport for 'popen'"), messages(waiting).toString());

            transportPresent.set(true);
            group.retryFailed();
            assertEquals(Result.Status.OK, new GroupHealthCheck(group, () -> null).execute().getStatus());
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aGatewayThatCannotStartAndAConfigurationErrorAreCritical() {
        ConfiguredGroup group = group(List.of("socket=127.0.0.1:1//id=s"), false);
        try {
            group.reconcile();
            Result result = new GroupHealthCheck(group, () -> "start: 'sometimes' is neither eager nor lazy").execute();
            assertEquals(Result.Status.CRITICAL, result.getStatus());
            List<String> messages = messages(result);
            assertEquals("group g: configuration not used: start: 'sometimes' is neither eager nor lazy", messages.get(0));
            assertTrue(messages.get(1).startsWith("group g: socket=127.0.0.1:1//id=s: did not start: "), messages.toString());
        } finally {
            group.shutdown();
        }
    }

    @Test
    void aLazyGroupNeverUsedIsOk() {
        ConfiguredGroup group = group(List.of(POPEN), true);
        try {
            group.reconcile();
            Result result = new GroupHealthCheck(group, () -> null).execute();
            assertEquals(Result.Status.OK, result.getStatus());
            assertEquals("group g: lazy, its gateways start on first use", messages(result).get(0));
            assertFalse(group.isStarted(), "the check started nothing");
        } finally {
            group.shutdown();
        }
    }

    private static List<String> messages(Result result) {
        return StreamSupport.stream(result.spliterator(), false).map(ResultLog.Entry::getMessage).toList();
    }
}
