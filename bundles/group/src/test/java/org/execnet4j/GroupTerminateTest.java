package org.execnet4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.execnet4j.api.ExitOutcome;
import org.execnet4j.api.Gateway;
import org.execnet4j.api.Group;
import org.execnet4j.core.EngineSettings;
import org.execnet4j.core.GatewayLauncher;
import org.execnet4j.core.TransportLocator;
import org.execnet4j.group.DefaultGatewayFactory;
import org.execnet4j.testing.Await;
import org.execnet4j.testing.PythonProcesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group's terminate asks all its gateways to exit at once and waits for them on the calling
 * thread: every gateway exits by itself, and afterwards no process of the group (descendants that
 * left its process groups included) and no gateway thread is left, with the warm start on and off;
 * no thread is started per gateway for it.
 */
class GroupTerminateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int SIZE = 6;
    /** A child in the gateway's process group and one in a session of its own; their pids. */
    private static final String CHILDREN = """
            import subprocess, sys
            code = 'import time; time.sleep(400)'
            a = subprocess.Popen([sys.executable, '-c', code])
            b = subprocess.Popen([sys.executable, '-c', code], start_new_session=True)
            channel.send([a.pid, b.pid])
            """;

    @ParameterizedTest(name = "warm start {0}")
    @ValueSource(booleans = {true, false})
    void everyGatewayExitsAndNothingIsLeft(boolean warmStart) throws Exception {
        Set<String> threadsBefore = TerminationTest.gatewayThreads();
        try (DefaultGatewayFactory factory = new DefaultGatewayFactory(new GatewayLauncher(
                TransportLocator.serviceLoader(getClass().getClassLoader()), EngineSettings.builder().warmStart(warmStart).build()))) {
            terminateAndCount(factory.newGroup("terminate-" + warmStart));
        }
        Await.await("no gateway thread left: " + TerminationTest.gatewayThreads(),
                () -> threadsBefore.containsAll(TerminationTest.gatewayThreads()));
    }

    private static void terminateAndCount(Group group) throws Exception {
        List<Gateway> gateways = group.makeGateways(Collections.nCopies(SIZE, GroupTest.POPEN));
        List<Long> pids = new ArrayList<>();
        for (Gateway gw : gateways) {
            pids.add(gw.remoteInfo(TIMEOUT).pid());
            for (Object child : (List<?>) gw.remoteExec(CHILDREN).receive(TIMEOUT)) {
                pids.add(((Number) child).longValue());
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadsStarted = threads.getTotalStartedThreadCount();

        Map<String, ExitOutcome> outcomes = group.terminate(TIMEOUT);

        assertTrue(threads.getTotalStartedThreadCount() - threadsStarted < SIZE,
                (threads.getTotalStartedThreadCount() - threadsStarted) + " threads started to terminate " + SIZE + " gateways");
        assertEquals(SIZE, outcomes.size());
        assertEquals(Set.of(ExitOutcome.EXITED), Set.copyOf(outcomes.values()), outcomes.toString());
        for (long pid : pids) {
            Await.await("process " + pid + " gone", () -> !PythonProcesses.isRunning(pid));
        }
        assertEquals(0, group.size());
    }
}
