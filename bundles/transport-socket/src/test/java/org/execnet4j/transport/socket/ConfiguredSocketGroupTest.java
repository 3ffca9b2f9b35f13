package org.execnet4j.transport.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.group.internal.ConfiguredGroup;
import org.junit.jupiter.api.Test;

/** Socket specs in a group's configuration (the keys of etc/org.execnet4j.group-NAME.cfg). */
class ConfiguredSocketGroupTest extends SocketTestBase {

    @Test
    void aCfgGroupOfSocketGateways() throws Exception {
        ServerProcess server = ourServer();
        GroupConfiguration config = GroupConfiguration.parse("sockets", Map.of(GroupConfiguration.SPECS,
                server.spec() + "//id=s1, " + server.spec() + "//id=s2//execmodel=main_thread_only"),
                GroupConfiguration.UnknownKeys.REJECT);
        GatewayLauncher launcher = new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()),
                EngineSettings.DEFAULTS);
        ConfiguredGroup group = new ConfiguredGroup(config.name(), launcher, config.defaultSpec(), config.specs(),
                config.isLazy(), config.terminateTimeout());
        try {
            group.reconcile();
            assertEquals(Map.of(), group.failures());
            assertEquals(List.of("s1", "s2"), group.gateways().stream().map(g -> g.id()).toList());
            assertEquals("main_thread_only", group.get("s2").orElseThrow().remoteStatus(TIMEOUT).execmodel());
            assertEquals(Map.of("s1", ExitOutcome.EXITED, "s2", ExitOutcome.EXITED), group.shutdown());
        } finally {
            group.terminate(Duration.ofSeconds(5));
        }
    }
}
