package org.execnet4j;

import static org.execnet4j.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.Gateway;
import org.execnet4j.api.GatewayClosedException;
import org.execnet4j.api.Group;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.group.GatewayListener;
import org.execnet4j.group.GroupConfiguration.UnknownKeys;
import org.execnet4j.group.GroupConfiguration;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.api.Test;

/** What a factory tells its GatewayListener, and the configured groups it makes from a GroupConfiguration. */
class GatewayListenerTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final GatewayListener recorder = new GatewayListener() {
        @Override
        public void started(String group, Gateway gateway) {
            seen.add("started " + group + "/" + gateway.id());
        }

        @Override
        public void ended(String group, Gateway gateway) {
            seen.add("ended " + group + "/" + gateway.id());
        }
    };

    @Test
    void startedAndEndedOncePerGatewayHoweverItEnds() throws Exception {
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(recorder)) {
            Group group = factory.newGroup("g");
            Gateway asked = group.makeGateway(GroupTest.POPEN + "//id=asked");
            Gateway killed = group.makeGateway(GroupTest.POPEN + "//id=killed");
            assertEquals(List.of("started g/asked", "started g/killed"), seen);

            asked.exit(GroupTest.TIMEOUT);
            await("ended after exit", () -> seen.contains("ended g/asked"));
            long pid = ((Number) killed.remoteExec("import os; channel.send(os.getpid())").receive(GroupTest.TIMEOUT)).longValue();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await("ended after the remote died", () -> seen.contains("ended g/killed"));
            group.terminate(GroupTest.TIMEOUT);
        }
        assertEquals(List.of("started g/asked", "started g/killed", "ended g/asked", "ended g/killed"), seen);
    }

    @Test
    void configuredGroupsStartEagerOrLazyAndEndWithTheFactory() {
        GroupConfiguration eager = GroupConfiguration.parse("e", Map.of("specs", GroupTest.POPEN + "//id=e1"), UnknownKeys.REJECT);
        GroupConfiguration lazy = GroupConfiguration.parse("l", Map.of("specs", GroupTest.POPEN + "//id=l1", "start", "lazy"),
                UnknownKeys.REJECT);
        List<Long> before = PythonProcesses.ofThisJvm();   // the default group's warm interpreter, if it has one
        DefaultGatewayFactory factory = new DefaultGatewayFactory(recorder);
        try {
            factory.newGroup(eager);
            assertEquals(List.of("started e/e1"), seen, "an eager group has started when newGroup returns");
            Group lazyGroup = factory.newGroup(lazy);
            assertEquals(List.of("started e/e1"), seen, "a lazy group waits for first use");
            assertEquals(List.of(7), lazyGroup.remoteExec("channel.send(7)").receiveEach(GroupTest.TIMEOUT));
            assertTrue(seen.contains("started l/l1"));
        } finally {
            factory.close();
        }
        assertTrue(before.containsAll(PythonProcesses.ofThisJvm()), "close ends the configured groups too");
        await("both ended", () -> seen.containsAll(List.of("ended e/e1", "ended l/l1")));
    }

    @Test
    void anEagerGroupWhoseGatewayCannotStartFailsAndLeavesNothingRunning() {
        GroupConfiguration broken = GroupConfiguration.parse("b", Map.of("specs",
                GroupTest.POPEN + "//id=ok, popen//id=bad//python=/nonexistent/python3"), UnknownKeys.REJECT);
        List<Long> before = PythonProcesses.ofThisJvm();   // the default group's warm interpreter, if it has one
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(recorder)) {
            GatewayClosedException e = assertThrows(GatewayClosedException.class, () -> factory.newGroup(broken));
            assertTrue(e.getMessage().startsWith("group b: popen//id=bad//python=/nonexistent/python3 did not start"),
                    e.getMessage());
            assertTrue(before.containsAll(PythonProcesses.ofThisJvm()),
                    "the gateway that did start was ended, with its group's warm interpreter: " + PythonProcesses.ofThisJvm());
        }
    }
}
