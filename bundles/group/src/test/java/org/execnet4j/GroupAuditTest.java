package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.api.PythonSource;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.ExecAudit;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.junit.jupiter.api.Test;

/** A group hands its gateways the launcher's audit for the group, so every remoteExec through it is audited with its name. */
class GroupAuditTest {
    private final List<String> audited = new CopyOnWriteArrayList<>();

    /** Records calls as {@code group/gateway: source}. */
    private final class Recorder implements ExecAudit {
        private final String group;

        Recorder(String group) {
            this.group = group;
        }

        @Override
        public void remoteExec(Gateway gateway, PythonSource source) {
            audited.add(group + "/" + gateway.id() + ": " + source.text());
        }

        @Override
        public ExecAudit inGroup(String name) {
            return new Recorder(name);
        }
    }

    @Test
    void everyRemoteExecOfEachGatewayIsAuditedWithItsGroup() {
        EngineSettings settings = EngineSettings.builder().execAudit(new Recorder("none")).build();
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(
                new GatewayLauncher(TransportLocator.serviceLoader(getClass().getClassLoader()), settings))) {
            Group group = factory.newGroup("workers");
            group.makeGateway(GroupTest.POPEN + "//id=a");
            group.makeGateway(GroupTest.POPEN + "//id=b");
            group.remoteExec("channel.send(1)").receiveEach(GroupTest.TIMEOUT);
            group.get("b").orElseThrow().remoteExec("channel.send(2)").receive(GroupTest.TIMEOUT);
            group.get("a").orElseThrow().remoteInfo(GroupTest.TIMEOUT);
        }
        assertEquals(List.of("workers/a: channel.send(1)", "workers/b: channel.send(1)", "workers/b: channel.send(2)"),
                audited.stream().sorted().toList());
    }
}
